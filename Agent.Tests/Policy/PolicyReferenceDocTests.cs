using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Policy;

/// <summary>docs/policy-reference.md and Policies/policy.xsd must describe the same language.</summary>
public sealed class PolicyReferenceDocTests
{
    private static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "policy-reference.md"));

    /// <summary>Every element name of the schema, with the attributes it may carry (same-named elements merged).</summary>
    private static Dictionary<string, HashSet<string>> SchemaElements()
    {
        var schema = XDocument.Load(Path.Combine(RepoPaths.Root, "Policies", "policy.xsd")).Root!;
        var namedTypes = schema.Elements(Xs + "complexType").ToDictionary(t => (string)t.Attribute("name")!);
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var element in schema.Descendants(Xs + "element").Where(e => e.Attribute("name") is not null))
        {
            var name = (string)element.Attribute("name")!;
            if (!result.TryGetValue(name, out var attributes))
            {
                attributes = new HashSet<string>(StringComparer.Ordinal);
                result.Add(name, attributes);
            }

            var type = element.Element(Xs + "complexType");
            if (type is null && element.Attribute("type") is { } typeName && typeName.Value.StartsWith("tns:", StringComparison.Ordinal))
            {
                namedTypes.TryGetValue(typeName.Value.Substring(4), out type);
            }

            foreach (var attribute in type is null ? Enumerable.Empty<string>() : AttributesOf(type, namedTypes))
            {
                attributes.Add(attribute);
            }
        }

        return result;
    }

    private static IEnumerable<string> AttributesOf(XElement complexType, Dictionary<string, XElement> namedTypes)
    {
        // Own attributes, excluding those of nested anonymous element types.
        foreach (var attribute in complexType.Descendants(Xs + "attribute").Where(a => a.Ancestors(Xs + "complexType").First() == complexType))
        {
            yield return (string)attribute.Attribute("name")!;
        }

        foreach (var extension in complexType.Descendants(Xs + "extension"))
        {
            var baseName = ((string)extension.Attribute("base")!).Replace("tns:", string.Empty, StringComparison.Ordinal);
            if (namedTypes.TryGetValue(baseName, out var baseType))
            {
                foreach (var attribute in AttributesOf(baseType, namedTypes))
                {
                    yield return attribute;
                }
            }
        }
    }

    /// <summary>The text under each heading that names an element ("### `&lt;Rule&gt;`"), by element name.</summary>
    private static Dictionary<string, string> DocSections()
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = Regex.Split(Doc, @"^(?=#{2,4} )", RegexOptions.Multiline);
        foreach (var part in parts)
        {
            var heading = Regex.Match(part, @"^#{2,4} `<([A-Za-z]+)>`");
            if (heading.Success)
            {
                sections[heading.Groups[1].Value] = part;
            }
        }

        return sections;
    }

    [Fact]
    public void EveryElementOfTheSchema_IsDocumented()
    {
        var missing = SchemaElements().Keys.Where(name => !Doc.Contains($"`<{name}>`", StringComparison.Ordinal)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryElementWithAttributes_HasASection_ListingEachAttribute()
    {
        var sections = DocSections();
        var problems = new List<string>();
        foreach (var (name, attributes) in SchemaElements().Where(e => e.Value.Count > 0))
        {
            // An ExceptIf twin is documented with its condition.
            var sectionName = name.StartsWith("ExceptIf", StringComparison.Ordinal) ? name.Substring("ExceptIf".Length) : name;
            if (!sections.TryGetValue(sectionName, out var section))
            {
                problems.Add($"no section for <{sectionName}>");
                continue;
            }

            problems.AddRange(attributes.Where(a => !section.Contains($"`{a}`", StringComparison.Ordinal)).Select(a => $"<{sectionName}> does not document {a}"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void EveryElementTheDocNames_ExistsInTheSchema()
    {
        var known = SchemaElements().Keys.ToHashSet(StringComparer.Ordinal);
        var claimed = Regex.Matches(Doc, @"`<([A-Z][A-Za-z]*)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(claimed);
        var unknown = claimed.Where(name => !known.Contains(name)).ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void EveryAttributeTheDocTabulates_ExistsOnThatElement()
    {
        var elements = SchemaElements();
        var problems = new List<string>();
        foreach (var (name, section) in DocSections())
        {
            Assert.True(elements.ContainsKey(name), $"section <{name}> names no schema element");
            foreach (var row in AttributeRows(section))
            {
                var attribute = row;
                if (!elements[name].Contains(attribute))
                {
                    problems.Add($"<{name}> has no attribute {attribute}");
                }
            }
        }

        Assert.Empty(problems);
    }

    /// <summary>The first-column names of the tables headed "| Attribute |" in a section.</summary>
    private static IEnumerable<string> AttributeRows(string section)
    {
        var inAttributeTable = false;
        foreach (var line in section.Split('\n'))
        {
            if (!line.StartsWith('|'))
            {
                inAttributeTable = false;
                continue;
            }

            if (line.StartsWith("| Attribute", StringComparison.Ordinal))
            {
                inAttributeTable = true;
                continue;
            }

            var row = Regex.Match(line, @"^\| `([A-Za-z]+)` \|");
            if (inAttributeTable && row.Success)
            {
                yield return row.Groups[1].Value;
            }
        }
    }

    /// <summary>The "Here" column of the Exchange comparison table: every `&lt;Element&gt;` it names.</summary>
    private static HashSet<string> ComparisonTableElements()
    {
        var section = Regex.Match(Doc, @"^## Exchange mail flow rules compared\n(.*?)(?=^## )", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(section.Success, "docs/policy-reference.md has no \"Exchange mail flow rules compared\" section");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in section.Groups[1].Value.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
        {
            var cells = line.Split('|');
            if (cells.Length < 4)
            {
                continue;
            }

            foreach (Match element in Regex.Matches(cells[2], @"`<([A-Za-z]+)>`"))
            {
                names.Add(element.Groups[1].Value);
            }
        }

        return names;
    }

    private static IEnumerable<string> GroupElements(string group)
    {
        var schema = XDocument.Load(Path.Combine(RepoPaths.Root, "Policies", "policy.xsd")).Root!;
        return schema.Elements(Xs + "group").Single(g => (string?)g.Attribute("name") == group)
            .Element(Xs + "choice")!.Elements(Xs + "element").Select(e => (string)e.Attribute("name")!);
    }

    [Fact]
    public void TheExchangeComparisonTable_NamesEveryConditionAndAction_AndNothingElse()
    {
        var inTable = ComparisonTableElements();
        var inSchema = GroupElements("ConditionGroup").Concat(GroupElements("ActionGroup")).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(inSchema.Where(name => !inTable.Contains(name)).Select(name => $"<{name}> is not in the table"));
        Assert.Empty(inTable.Where(name => !inSchema.Contains(name)).Select(name => $"<{name}> is in the table but is no condition or action of the schema"));
    }
}
