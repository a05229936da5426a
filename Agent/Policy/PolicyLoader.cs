using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// Loads a policy file into an immutable <see cref="Model.PolicySet"/>. The XML is read with DTDs prohibited and no
/// resolver (no entity, no external file, no network), validated against the embedded schema, then checked
/// semantically. Every error is reported at once, each as <c>file:line:col: rule 'name': message</c>. Never throws
/// for a bad file; only a programming error can escape.
/// </summary>
public static class PolicyLoader
{
    /// <summary>
    /// The largest policy file accepted: 32 MiB. A 10,000-rule policy with typical conditions is about 5 MiB, so this
    /// leaves room while keeping a hostile file from exhausting memory inside the transport process.
    /// </summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    /// <summary>Loads <paramref name="path"/>. With <paramref name="log"/>, a policy that loads has its warnings written as events.</summary>
    public static PolicyLoadResult LoadFile(string path, IAgentLog? log = null)
    {
        Guard.NotNull(path);
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            return FileError(path, $"invalid path: {ex.Message}", transient: false);
        }

        byte[] bytes;
        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > MaxFileBytes)
            {
                return FileError(path, TooLargeMessage(stream.Length), transient: false);
            }

            bytes = ReadAll(stream);
        }
        catch (FileNotFoundException)
        {
            return FileError(path, "file not found", transient: false);
        }
        catch (DirectoryNotFoundException)
        {
            return FileError(path, "directory not found", transient: false);
        }
        catch (UnauthorizedAccessException ex)
        {
            return FileError(path, $"access denied: {ex.Message}", transient: false);
        }
        catch (IOException ex)
        {
            // Most often a sharing violation while an editor saves the file: worth retrying.
            return FileError(path, $"cannot read the file: {ex.Message}", transient: true);
        }

        var result = Load(bytes, path, fullPath);
        if (log is not null && result.Succeeded)
        {
            LogWarnings(result, log);
        }

        return result;
    }

    /// <summary>Loads a policy from text (tests, tools); <paramref name="sourceName"/> appears in errors.</summary>
    public static PolicyLoadResult LoadXml(string xml, string sourceName = "policy.xml")
        => Load(Encoding.UTF8.GetBytes(Guard.NotNull(xml)), sourceName, sourceName);

    /// <summary>
    /// Loads a policy from the bytes of a file: <paramref name="displayName"/> names it in errors,
    /// <paramref name="sourcePath"/> is recorded in <see cref="Model.PolicySet.SourcePath"/>.
    /// </summary>
    public static PolicyLoadResult Load(byte[] bytes, string displayName, string sourcePath)
    {
        Guard.NotNull(bytes);
        Guard.NotNull(displayName);
        if (bytes.LongLength > MaxFileBytes)
        {
            return FileError(displayName, TooLargeMessage(bytes.LongLength), transient: false);
        }

        var sha256 = Sha256Hex(bytes);
        var schemaErrors = new List<PolicyError>();
        XDocument document;
        try
        {
            document = Parse(bytes, displayName, schemaErrors);
        }
        catch (XmlException ex)
        {
            return Failed(new PolicyError(displayName, ex.LineNumber, ex.LinePosition, null, DescribeXmlException(ex, bytes)));
        }
        catch (ArgumentException ex)
        {
            // System.Xml's reader throws ArgumentOutOfRangeException instead of XmlException when the XML declaration
            // switches to an encoding the bytes before it contradict (found by fuzzing): still just a bad file.
            return Failed(new PolicyError(displayName, 1, 1, null, $"the file could not be read as XML: {ex.Message}"));
        }

        var root = document.Root;
        if (root is null || root.Name != XName.Get("Policy", PolicySchema.Namespace))
        {
            var found = root is null ? "nothing" : $"<{root.Name.LocalName}> in namespace '{root.Name.NamespaceName}'";
            var (line, column) = root is null ? (1, 1) : PolicyXml.Position(root);
            return Failed(new PolicyError(displayName, line, column, null,
                $"the root element must be <Policy xmlns=\"{PolicySchema.Namespace}\">; found {found}"));
        }

        var builder = new PolicyBuilder(displayName, sourcePath, sha256);
        var policy = builder.Build(root);
        var errors = Merge(builder.Errors, AttributeSchemaErrors(document, schemaErrors));
        if (errors.Count > 0)
        {
            return new PolicyLoadResult(null, errors, builder.Warnings, isTransient: false);
        }

        return new PolicyLoadResult(policy, Array.Empty<PolicyError>(), builder.Warnings, isTransient: false);
    }

    /// <summary>Writes the load warnings as events: the insecure plain-text opt-in gets its own loud event.</summary>
    public static void LogWarnings(PolicyLoadResult result, IAgentLog log)
    {
        Guard.NotNull(result);
        Guard.NotNull(log);
        foreach (var warning in result.Warnings)
        {
            var agentEvent = warning.Message.Contains(PolicyBuilder.InsecureFallbackMarker)
                ? EventIds.PolicyInsecureFallbackConfigured
                : EventIds.PolicyLoadWarning;
            log.Write(agentEvent, warning.ToString());
        }
    }

    private static XDocument Parse(byte[] bytes, string displayName, List<PolicyError> schemaErrors)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = MaxFileBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            ValidationType = ValidationType.Schema,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
            Schemas = PolicySchema.CreateSchemaSet(),
            CloseInput = true,
        };
        settings.ValidationEventHandler += (_, e) =>
        {
            // Warnings are "no schema for this element": an element in a foreign namespace, which the schema forbids
            // anyway; the root check reports the wrong-namespace case more clearly.
            var exception = e.Exception;
            schemaErrors.Add(new PolicyError(displayName, exception?.LineNumber ?? 0, exception?.LinePosition ?? 0, null, CleanSchemaMessage(e.Message)));
        };

        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }

    /// <summary>Attributes schema errors to their rules, by the element or attribute at the reported position.</summary>
    private static List<PolicyError> AttributeSchemaErrors(XDocument document, List<PolicyError> schemaErrors)
    {
        if (schemaErrors.Count == 0)
        {
            return schemaErrors;
        }

        var elements = document.Descendants().ToList();
        var result = new List<PolicyError>(schemaErrors.Count);
        foreach (var error in schemaErrors)
        {
            var element = ElementAt(elements, error.Line, error.Column);
            var rule = element?.AncestorsAndSelf(XName.Get("Rule", PolicySchema.Namespace)).FirstOrDefault();
            var ruleName = rule is null ? null : PolicyBuilder.RuleDisplayName(rule);
            result.Add(new PolicyError(error.File, error.Line, error.Column, ruleName, error.Message));
        }

        return result;
    }

    /// <summary>The last element starting at or before the position (document order is position order).</summary>
    private static XElement? ElementAt(List<XElement> elements, int line, int column)
    {
        XElement? found = null;
        foreach (var element in elements)
        {
            var (l, c) = PolicyXml.Position(element);
            if (l > line || (l == line && c > column))
            {
                break;
            }

            found = element;
        }

        return found;
    }

    /// <summary>Builder errors first in document order; a schema error at a position the builder already explained is dropped.</summary>
    private static List<PolicyError> Merge(IReadOnlyList<PolicyError> semantic, List<PolicyError> schema)
    {
        var explained = new HashSet<(int, int)>(semantic.Select(e => (e.Line, e.Column)));
        return semantic.Concat(schema.Where(e => !explained.Contains((e.Line, e.Column))))
            .OrderBy(e => e.Line).ThenBy(e => e.Column)
            .ToList();
    }

    private static string CleanSchemaMessage(string message)
    {
        var cleaned = message.Replace($" in namespace '{PolicySchema.Namespace}'", string.Empty);
        return cleaned.Replace($"{{{PolicySchema.Namespace}}}", string.Empty).Replace($"'{PolicySchema.Namespace}:", "'");
    }

    private static string DescribeXmlException(XmlException ex, byte[] bytes)
    {
        if (ContainsAscii(bytes, "<!DOCTYPE") || ex.Message.Contains("DTD"))
        {
            return "DOCTYPE declarations are not allowed in a policy (DTDs, entities and external references are prohibited; nothing was read)";
        }

        return "not well-formed XML: " + ex.Message;
    }

    /// <summary>Finds an ASCII marker in UTF-8 or UTF-16 bytes.</summary>
    private static bool ContainsAscii(byte[] bytes, string marker)
    {
        var utf8 = Encoding.ASCII.GetBytes(marker);
        var utf16 = Encoding.Unicode.GetBytes(marker);
        var utf16Be = Encoding.BigEndianUnicode.GetBytes(marker);
        return IndexOf(bytes, utf8) >= 0 || IndexOf(bytes, utf16) >= 0 || IndexOf(bytes, utf16Be) >= 0;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxFileBytes)
            {
                throw new IOException(TooLargeMessage(buffer.Length));
            }
        }

        return buffer.ToArray();
    }

    private static string Sha256Hex(byte[] bytes)
    {
#if NETFRAMEWORK
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(bytes);
#else
        var hash = SHA256.HashData(bytes);
#endif
        var builder = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            builder.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static string TooLargeMessage(long length)
        => $"the file is {length} bytes; a policy may be at most {MaxFileBytes} bytes (32 MiB)";

    private static PolicyLoadResult FileError(string file, string message, bool transient)
        => new(null, new[] { new PolicyError(file, 0, 0, null, message) }, Array.Empty<PolicyError>(), transient);

    private static PolicyLoadResult Failed(PolicyError error)
        => new(null, new[] { error }, Array.Empty<PolicyError>(), isTransient: false);
}
