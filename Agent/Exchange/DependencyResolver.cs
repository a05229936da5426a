using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// Makes the agent immune to other agents' copies of its dependencies inside EdgeTransport.exe.
/// </summary>
/// <remarks>
/// Exchange loads the agent with <c>Assembly.LoadFrom</c> and every agent shares one AppDomain. Binding redirects in our
/// own .config are ignored, so when another agent has already loaded, say, MimeKit 4.3 and we were built against
/// 4.18, the runtime cannot bind our reference and raises <see cref="AppDomain.AssemblyResolve"/>. This handler
/// answers such requests with the DLL of the same simple name from the agent folder, whatever version was asked
/// for, and answers nothing else: names that are not a DLL in our folder stay someone else's business.
/// It never throws (an exception here would surface inside the transport service) and never logs, because the
/// logging library itself is one of the assemblies it resolves.
/// </remarks>
internal static class DependencyResolver
{
    private static readonly object Gate = new();
    private static IReadOnlyDictionary<string, string> _assembliesBySimpleName = new Dictionary<string, string>();
    private static bool _registered;

    /// <summary>
    /// Hooks the resolver for <paramref name="agentDirectory"/> into the current AppDomain. Only the first call has an
    /// effect; later calls (another factory instance, a second thread) return at once. Never throws.
    /// </summary>
    public static void Register(string agentDirectory)
    {
        try
        {
            lock (Gate)
            {
                if (_registered)
                {
                    return;
                }

                // Publish the index before the handler can run; the handler only ever reads it.
                _assembliesBySimpleName = FindAssemblies(agentDirectory);
                AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
                _registered = true;
            }
        }
#pragma warning disable CA1031 // Never throw into the transport service: without the resolver we still try the default binding.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Maps the simple name of every <c>*.dll</c> directly in <paramref name="agentDirectory"/> to its full path
    /// (case-insensitive, as Windows file names are). An unreadable or missing folder gives an empty map.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> FindAssemblies(string agentDirectory)
    {
        var assemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var path in Directory.GetFiles(agentDirectory, "*.dll", SearchOption.TopDirectoryOnly))
            {
                assemblies[Path.GetFileNameWithoutExtension(path)] = path;
            }
        }
#pragma warning disable CA1031 // Any I/O or argument problem means "nothing to resolve", never an exception.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return assemblies;
    }

    /// <summary>
    /// Loads the assembly <paramref name="requestedName"/> (a full or simple assembly name) from
    /// <paramref name="assemblies"/> when its simple name is there, ignoring version, culture and key token.
    /// Returns null for any other name and on any problem (missing file, corrupt DLL, wrong identity inside).
    /// </summary>
    internal static Assembly? LoadFromAgentFolder(IReadOnlyDictionary<string, string> assemblies, string? requestedName)
    {
        try
        {
            if (requestedName is null)
            {
                return null;
            }

            var simpleName = new AssemblyName(requestedName).Name;
            if (simpleName is null || !assemblies.TryGetValue(simpleName, out var path))
            {
                return null;
            }

            // The file name is only a hint: a DLL whose identity says something else would make the runtime reject
            // our answer with an exception, so check the metadata first (this also weeds out corrupt files).
            var actualName = AssemblyName.GetAssemblyName(path).Name;
            if (!string.Equals(actualName, simpleName, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return Assembly.LoadFrom(path);
        }
#pragma warning disable CA1031 // Returning null lets the runtime report its own "could not load" as it would without us.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
        => LoadFromAgentFolder(_assembliesBySimpleName, args?.Name);
}
