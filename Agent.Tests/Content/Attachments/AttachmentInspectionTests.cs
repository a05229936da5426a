using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Tests.Support;
using ExchangeEncryptionAgent.Tests.Tool;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Content.Attachments.TestFiles;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Content.Attachments;

/// <summary>
/// Attachment conditions read documents, archives and attached messages (issue 14), proven through `eea test` on real
/// files made here: .docx and .xlsx with the Open XML SDK, .pdf with PdfPig, zips with System.IO.Compression and zip -e.
/// </summary>
public sealed class AttachmentInspectionTests
{
    private const string Secret = "Blueberry";

    /// <summary>One rule per attachment condition, so one run shows which of them hold.</summary>
    private static readonly string AllConditions = Document(
        Rule("Words", 0, $"<AttachmentContainsWords>{Values(Secret.ToLowerInvariant())}</AttachmentContainsWords>")
        + Rule("Patterns", 1, $"<AttachmentMatchesPatterns>{Values("blue-?berry")}</AttachmentMatchesPatterns>")
        + Rule("Exe", 2, $"<AttachmentExtensionMatchesWords>{Values("exe", ".js")}</AttachmentExtensionMatchesWords>")
        + Rule("Name", 3, $"<AttachmentNameMatchesPatterns>{Values("^setup")}</AttachmentNameMatchesPatterns>")
        + Rule("Protected", 4, "<AttachmentIsPasswordProtected/>")
        + Rule("Limit", 5, "<AttachmentProcessingLimitExceeded/>")
        + Rule("Unsupported", 6, "<AttachmentIsUnsupported/>"),

        // The widest time bounds the policy allows: what these tests check must not hang on how busy the machine is
        // (the bounds themselves are tested in PolicyEvaluatorTests, their timing in bench/).
        settings: "<OrganizationDomains><Domain>contoso.com</Domain></OrganizationDomains><RegexTimeout>PT10S</RegexTimeout><EvaluationBudget>PT60S</EvaluationBudget>");

    private static EeaTestRun Run(params (string FileName, string MediaType, byte[] Content)[] attachments)
        => EeaTestRun.Run(AllConditions, Bytes(Message("Files", attachments)));

    [Fact]
    public void AWordInsideADocx_MatchesTheAttachmentContentConditions()
    {
        var run = Run(("report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Docx($"The codename is {Secret} this year.")));
        Assert.Equal(new[] { "Words", "Patterns" }, run.MatchedRules);
        Assert.Equal("blueberry", run.MatchedValue("Words", "AttachmentContainsWords"));
    }

    [Fact]
    public void ADocxWithoutTheWord_DoesNotMatch()
    {
        Assert.Empty(Run(("report.docx", "application/octet-stream", Docx("Nothing to see here."))).MatchedRules);
    }

    [Fact]
    public void AWordInAnXlsxCell_Matches()
    {
        Assert.Contains("Words", Run(("figures.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Xlsx($"{Secret} budget"))).MatchedRules);
    }

    [Fact]
    public void AWordInsideAPdf_MatchesTheAttachmentContentConditions()
    {
        var run = Run(("plan.pdf", "application/pdf", Pdf($"Project {Secret} launch plan")));
        Assert.Equal(new[] { "Words", "Patterns" }, run.MatchedRules);
    }

    [Fact]
    public void AFileInsideAZip_MatchesTheAttachmentContentConditions()
    {
        var zip = Zip(("notes/readme.txt", Encoding.UTF8.GetBytes("hello")), ("notes/plan.docx", Docx($"{Secret} again")));
        var run = Run(("bundle.zip", "application/zip", zip));
        Assert.Equal(new[] { "Words", "Patterns" }, run.MatchedRules);
    }

    [Theory]
    [InlineData("memo.rtf", "application/rtf", "{\\rtf1\\ansi{\\fonttbl{\\f0 Blueberry Sans;}}\\f0 The code is Blue\\'62erry.\\par}")]
    [InlineData("memo.html", "text/html", "<html><body><p>The code is <b>Blueberry</b></p></body></html>")]
    [InlineData("memo.xml", "application/xml", "<memo><code>Blueberry</code></memo>")]
    [InlineData("memo.txt", "application/octet-stream", "The code is Blueberry.")]
    public void TextFormats_AreRead(string name, string mediaType, string content)
    {
        Assert.Contains("Words", Run((name, mediaType, Encoding.UTF8.GetBytes(content))).MatchedRules);
    }

    [Fact]
    public void RtfFontTables_AreNotText()
    {
        var rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Blueberry Sans;}}\\f0 Nothing here.\\par}";
        Assert.DoesNotContain("Words", Run(("memo.rtf", "application/rtf", Encoding.ASCII.GetBytes(rtf))).MatchedRules);
    }

    [Fact]
    public void AnOpenDocumentText_IsRead_AcrossSpans()
    {
        Assert.Contains("Words", Run(("minutes.odt", "application/vnd.oasis.opendocument.text", Odt(Secret))).MatchedRules);
    }

    [Fact]
    public void AnExeInsideAZip_MatchesAttachmentExtensionMatchesWords()
    {
        var zip = Zip(("tools/setup.exe", new byte[] { 0x4D, 0x5A, 0x90, 0x00 }), ("readme.txt", Encoding.UTF8.GetBytes("run it")));
        var run = Run(("tools.zip", "application/zip", zip));
        Assert.Contains("Exe", run.MatchedRules);
        Assert.Equal("exe", run.MatchedValue("Exe", "AttachmentExtensionMatchesWords"));
        Assert.Contains("Name", run.MatchedRules);
    }

    [Fact]
    public void AnExeInsideAnAttachedMessage_MatchesAttachmentExtensionMatchesWords()
    {
        var inner = Message("Installer", ("setup.exe", "application/octet-stream", new byte[] { 0x4D, 0x5A, 0x90, 0x00 }));
        var run = EeaTestRun.Run(AllConditions, Bytes(Forward(inner)));
        Assert.Contains("Exe", run.MatchedRules);
        Assert.Contains("Name", run.MatchedRules);
    }

    [Fact]
    public void AWordInAnAttachedMessagesDocx_Matches()
    {
        var inner = Message("Plan", ("plan.docx", "application/octet-stream", Docx($"{Secret} plan")));
        Assert.Contains("Words", EeaTestRun.Run(AllConditions, Bytes(Forward(inner))).MatchedRules);
    }

    [Fact]
    public void AnEncryptedZip_MadeWithZipE_MatchesAttachmentIsPasswordProtected()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "secret.txt"), $"{Secret} figures");
        var zip = ExternalTool.Run("zip", new[] { "-q", "-e", "-P", "hunter2", "secret.zip", "secret.txt" }, temp.Path);
        Assert.True(zip.ExitCode == 0, zip.ToString());
        var run = Run(("secret.zip", "application/zip", File.ReadAllBytes(Path.Combine(temp.Path, "secret.zip"))));
        Assert.Contains("Protected", run.MatchedRules);
        Assert.Equal("secret.zip/secret.txt", run.MatchedValue("Protected", "AttachmentIsPasswordProtected"));

        // The name is in the clear; the text is not, and it is not taken for a limit or an unsupported type.
        Assert.DoesNotContain("Words", run.MatchedRules);
        Assert.DoesNotContain("Limit", run.MatchedRules);
    }

    [Fact]
    public void AnOrdinaryZip_IsNotPasswordProtected()
    {
        var run = Run(("plain.zip", "application/zip", Zip(("a.txt", Encoding.UTF8.GetBytes("hello")))));
        Assert.DoesNotContain("Protected", run.MatchedRules);
    }

    [Fact]
    public void AnEncryptedOfficeDocument_IsPasswordProtected_ALegacyOneIsUnsupported()
    {
        var encrypted = Run(("salaries.docx", "application/octet-stream", CompoundFile("EncryptionInfo")));
        Assert.Contains("Protected", encrypted.MatchedRules);
        Assert.DoesNotContain("Unsupported", encrypted.MatchedRules);

        var legacy = Run(("old.doc", "application/msword", CompoundFile("WordDocument")));
        Assert.DoesNotContain("Protected", legacy.MatchedRules);
        Assert.Contains("Unsupported", legacy.MatchedRules);
    }

    [Fact]
    public void AnArchiveNestedBeyondTheLimit_MatchesAttachmentProcessingLimitExceeded()
    {
        var deep = Run(("deep.zip", "application/zip", NestedZip(ExchangeEncryptionAgent.Content.Attachments.AttachmentInspectionLimits.MaxContainerDepth + 1, Secret)));
        Assert.Contains("Limit", deep.MatchedRules);
        Assert.Contains("nested deeper", deep.MatchedValue("Limit", "AttachmentProcessingLimitExceeded"));
        Assert.DoesNotContain("Words", deep.MatchedRules);

        // At the limit everything is read, down to the innermost file.
        var atLimit = Run(("deep.zip", "application/zip", NestedZip(ExchangeEncryptionAgent.Content.Attachments.AttachmentInspectionLimits.MaxContainerDepth, Secret)));
        Assert.DoesNotContain("Limit", atLimit.MatchedRules);
        Assert.Contains("Words", atLimit.MatchedRules);
    }

    [Fact]
    public void AZipBomb_EndsAsCouldNotInspect_NotAsAnException()
    {
        // A PDF must be read whole (its index is at the end): the expansion bound stops it, not the end of the disk.
        var bomb = ZipBomb("huge.pdf", "%PDF-1.7\n", ExchangeEncryptionAgent.Content.Attachments.AttachmentInspectionLimits.MaxExpandedBytes + (1024 * 1024));
        Assert.True(bomb.Length < 2 * 1024 * 1024, $"bomb is {bomb.Length} bytes");
        var run = Run(("bomb.zip", "application/zip", bomb));
        Assert.Contains("Limit", run.MatchedRules);
        Assert.Contains("MB expanded", run.MatchedValue("Limit", "AttachmentProcessingLimitExceeded"));
    }

    [Fact]
    public void ATextBomb_IsReadOnlyUpToTheScanLimit_NotExpanded()
    {
        // Text needs no more than its first AttachmentScanLimit bytes; the rest is never decompressed.
        var bomb = ZipBomb("zeros.txt", Secret + " ", ExchangeEncryptionAgent.Content.Attachments.AttachmentInspectionLimits.MaxExpandedBytes + (1024 * 1024));
        var run = Run(("bomb.zip", "application/zip", bomb));
        Assert.Contains("Words", run.MatchedRules);
        Assert.DoesNotContain("Limit", run.MatchedRules);
    }

    [Fact]
    public void ACorruptDocument_EndsAsCouldNotInspect()
    {
        var run = Run(("broken.docx", "application/octet-stream", Zip(("not-a-document.txt", Encoding.UTF8.GetBytes("x")))));
        Assert.Contains("Limit", run.MatchedRules);
    }

    [Fact]
    public void UnsupportedTypes_MatchAttachmentIsUnsupported_ReadableOnesDoNot()
    {
        Assert.Contains("Unsupported", Run(("photo.png", "image/png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })).MatchedRules);
        Assert.Contains("Unsupported", Run(("tools.zip", "application/zip", Zip(("setup.exe", new byte[] { 0x4D, 0x5A })))).MatchedRules);
        Assert.DoesNotContain("Unsupported", Run(("report.docx", "application/octet-stream", Docx("fine")), ("notes.txt", "text/plain", Encoding.UTF8.GetBytes("fine"))).MatchedRules);
    }

    [Fact]
    public void ARenamedZip_IsReadForWhatItIs()
    {
        var zip = Zip(("payload/run.js", Encoding.UTF8.GetBytes("alert(1)")));
        Assert.Contains("Exe", Run(("invoice.zip", "application/octet-stream", zip)).MatchedRules);
    }

    [Fact]
    public void AttachmentScanLimit_BoundsTheTextReadPerFile()
    {
        var policy = Document(
            Rule("Words", 0, $"<AttachmentContainsWords>{Values(Secret)}</AttachmentContainsWords>"),
            settings: "<OrganizationDomains><Domain>contoso.com</Domain></OrganizationDomains><AttachmentScanLimit>1KB</AttachmentScanLimit>");
        var early = Bytes(Message("x", ("a.docx", "application/octet-stream", Docx(Secret + new string('x', 0) + " " + string.Concat(Enumerable.Repeat("filler ", 400))))));
        var late = Bytes(Message("x", ("a.docx", "application/octet-stream", Docx(string.Concat(Enumerable.Repeat("filler ", 400)) + Secret))));
        Assert.Contains("Words", EeaTestRun.Run(policy, early).MatchedRules);
        Assert.DoesNotContain("Words", EeaTestRun.Run(policy, late).MatchedRules);
    }
}
