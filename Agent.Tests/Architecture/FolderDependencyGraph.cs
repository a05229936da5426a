using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace ExchangeEncryptionAgent.Tests.Architecture;

/// <summary>
/// Which top folder of the compiled agent names which other folder (or Microsoft.Exchange), with the types that do
/// it. Read from the assembly, not the sources: a fully qualified name, a <c>var</c> or a call inside a method body
/// counts as much as a <c>using</c>, so nothing hides from the check.
/// </summary>
internal sealed class FolderDependencyGraph
{
    /// <summary>The pseudo-folder for every type of Microsoft.Exchange.* (only the Exchange adapter may use it).</summary>
    public const string MicrosoftExchange = "Microsoft.Exchange";

    private const string RootNamespace = "ExchangeEncryptionAgent";

    // from folder -> to folder -> "FromType -> ToType" examples (sorted, distinct).
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    private FolderDependencyGraph()
    {
    }

    /// <summary>Every folder that holds at least one type.</summary>
    public SortedSet<string> Folders { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the assembly at <paramref name="path"/>.</summary>
    public static FolderDependencyGraph Read(string path)
    {
        var graph = new FolderDependencyGraph();
        using var assembly = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { ReadSymbols = false });
        foreach (var type in assembly.MainModule.Types)
        {
            var folder = AgentLayers.Relocated.TryGetValue(type.FullName, out var destination) ? destination : FolderOf(type);
            if (folder is null)
            {
                continue; // <Module>, <PrivateImplementationDetails>, polyfill attributes: compiler output, not ours.
            }

            graph.Folders.Add(folder);
            graph.Visit(folder, type);
        }

        return graph;
    }

    /// <summary>The folders <paramref name="folder"/> uses (itself excluded).</summary>
    public IReadOnlyCollection<string> Uses(string folder)
        => _edges.TryGetValue(folder, out var targets) ? targets.Keys.Where(t => t != folder).ToList() : Array.Empty<string>();

    /// <summary>The type pairs behind the edge <paramref name="from"/> → <paramref name="to"/> (at most <paramref name="limit"/>).</summary>
    public IReadOnlyList<string> Evidence(string from, string to, int limit = 8)
        => _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var pairs)
            ? pairs.Take(limit).ToList()
            : Array.Empty<string>();

    /// <summary>Describes the edge for a failure message: the edge and the types that make it.</summary>
    public string Describe(string from, string to)
        => $"{from} -> {to}:{Environment.NewLine}    " + string.Join(Environment.NewLine + "    ", Evidence(from, to));

    /// <summary>The folder of an engine type (by its outermost type's namespace); null for compiler-generated types.</summary>
    public static string? FolderOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        var ns = type.Namespace;
        if (ns == RootNamespace)
        {
            return "Common"; // Agent/Common keeps the root namespace: Guard and friends need no using anywhere.
        }

        if (ns.StartsWith(RootNamespace + ".", StringComparison.Ordinal))
        {
            var rest = ns.Substring(RootNamespace.Length + 1);
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? rest : rest.Substring(0, dot);
        }

        return ns == "Microsoft.Exchange" || ns.StartsWith("Microsoft.Exchange.", StringComparison.Ordinal) ? MicrosoftExchange : null;
    }

    private void Visit(string folder, TypeDefinition type)
    {
        // Lambdas, iterators and async methods compile to nested "<>c..." types: name the type the source declares.
        var declared = type;
        while (declared.Name.StartsWith('<') && declared.DeclaringType is not null)
        {
            declared = declared.DeclaringType;
        }

        var owner = declared.FullName;
        Note(folder, owner, type.BaseType);
        foreach (var i in type.Interfaces)
        {
            Note(folder, owner, i.InterfaceType);
        }

        Attributes(folder, owner, type.CustomAttributes);
        GenericParameters(folder, owner, type.GenericParameters);
        foreach (var field in type.Fields)
        {
            Note(folder, owner, field.FieldType);
            Attributes(folder, owner, field.CustomAttributes);
        }

        foreach (var property in type.Properties)
        {
            Note(folder, owner, property.PropertyType);
            Attributes(folder, owner, property.CustomAttributes);
        }

        foreach (var e in type.Events)
        {
            Note(folder, owner, e.EventType);
        }

        foreach (var method in type.Methods)
        {
            Method(folder, owner, method);
        }

        foreach (var nested in type.NestedTypes)
        {
            Visit(folder, nested);
        }
    }

    private void Method(string folder, string owner, MethodDefinition method)
    {
        Note(folder, owner, method.ReturnType);
        foreach (var p in method.Parameters)
        {
            Note(folder, owner, p.ParameterType);
        }

        GenericParameters(folder, owner, method.GenericParameters);
        Attributes(folder, owner, method.CustomAttributes);
        if (!method.HasBody)
        {
            return;
        }

        foreach (var variable in method.Body.Variables)
        {
            Note(folder, owner, variable.VariableType);
        }

        foreach (var handler in method.Body.ExceptionHandlers)
        {
            Note(folder, owner, handler.CatchType);
        }

        foreach (var instruction in method.Body.Instructions)
        {
            Operand(folder, owner, instruction);
        }
    }

    private void Operand(string folder, string owner, Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference t:
                Note(folder, owner, t);
                break;
            case MethodReference m:
                Note(folder, owner, m.DeclaringType);
                Note(folder, owner, m.ReturnType);
                foreach (var p in m.Parameters)
                {
                    Note(folder, owner, p.ParameterType);
                }

                if (m is GenericInstanceMethod g)
                {
                    foreach (var argument in g.GenericArguments)
                    {
                        Note(folder, owner, argument);
                    }
                }

                break;
            case FieldReference f:
                Note(folder, owner, f.DeclaringType);
                Note(folder, owner, f.FieldType);
                break;
        }
    }

    private void Attributes(string folder, string owner, IEnumerable<CustomAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            Note(folder, owner, attribute.AttributeType);
        }
    }

    private void GenericParameters(string folder, string owner, IEnumerable<GenericParameter> parameters)
    {
        foreach (var constraint in parameters.SelectMany(p => p.Constraints))
        {
            Note(folder, owner, constraint.ConstraintType);
        }
    }

    private void Note(string folder, string owner, TypeReference? type)
    {
        switch (type)
        {
            case null:
            case GenericParameter:
                return;
            case GenericInstanceType generic:
                Note(folder, owner, generic.ElementType);
                foreach (var argument in generic.GenericArguments)
                {
                    Note(folder, owner, argument);
                }

                return;
            case TypeSpecification specification: // arrays, by-ref, pointers, modifiers
                Note(folder, owner, specification.ElementType);
                return;
        }

        if (FolderOf(type) is not { } target)
        {
            return;
        }

        if (!_edges.TryGetValue(folder, out var targets))
        {
            targets = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            _edges[folder] = targets;
        }

        if (!targets.TryGetValue(target, out var pairs))
        {
            pairs = new SortedSet<string>(StringComparer.Ordinal);
            targets[target] = pairs;
        }

        pairs.Add($"{owner} -> {type.FullName}");
    }
}
