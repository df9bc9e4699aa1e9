using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Linli.Tests.Architecture;

/// <summary>
/// Which of Linli's areas (the second part of a namespace: <c>Linli.Tickets</c>, <c>Linli.Channels.WeChat</c> →
/// Tickets, Channels) use which, read from the compiled assembly: every type a type names in its signatures, fields,
/// attributes and method bodies. Compiler-made types (lambdas, async state machines) count for the type they belong to.
/// </summary>
public sealed class ModuleDependencies
{
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _uses = [];
    private readonly Dictionary<string, SortedSet<string>> _assemblies = [];

    private ModuleDependencies(ModuleDefinition module)
    {
        foreach (var type in module.Types.Where(t => t.Namespace.StartsWith("Linli", StringComparison.Ordinal)))
            Read(type, Area(type.Namespace), type.FullName);
    }

    public static ModuleDependencies Of(Type anyTypeOfTheAssembly)
    {
        using var module = ModuleDefinition.ReadModule(anyTypeOfTheAssembly.Assembly.Location);
        return new ModuleDependencies(module);
    }

    /// <summary>The areas <paramref name="area"/> uses, each with the types behind it (for failure messages).</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> UsesOf(string area) =>
        _uses.TryGetValue(area, out var uses) ? uses : [];

    public IEnumerable<string> Areas => _uses.Keys.Order();

    /// <summary>Types that reference <paramref name="assemblyName"/> (e.g. "LiteDB").</summary>
    public IReadOnlySet<string> TypesUsingAssembly(string assemblyName) =>
        _assemblies.TryGetValue(assemblyName, out var types) ? types : [];

    /// <summary>
    /// Every cycle among the areas, each as the path that closes it ("A → B → A"): at least one for each set of
    /// areas that reach each other. A dependency counts unless every use behind it ("Owner → Used", as in <see
    /// cref="UsesOf"/>) is <paramref name="ignoring"/>.
    /// </summary>
    public List<string> Cycles(Func<string, bool>? ignoring = null)
    {
        var cycles = new List<string>();
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        foreach (var area in Areas) Visit(area);
        return cycles;

        void Visit(string area)
        {
            if (state.GetValueOrDefault(area) == 2) return;
            if (state.GetValueOrDefault(area) == 1)
            {
                cycles.Add(string.Join(" → ", path.Skip(path.IndexOf(area)).Append(area)));
                return;
            }
            state[area] = 1;
            path.Add(area);
            foreach (var (used, by) in UsesOf(area))
                if (ignoring is null || !by.All(ignoring))
                    Visit(used);
            path.RemoveAt(path.Count - 1);
            state[area] = 2;
        }
    }

    /// <summary>
    /// "Linli.Channels.WeChat" → "Channels"; "Linli.Storage.LiteDb" → "Storage.LiteDb" (each database implements the
    /// features' stores, so it is not the Storage they use).
    /// </summary>
    public static string Area(string ns)
    {
        var parts = ns.Split('.');
        if (parts is ["Linli", "Storage", var part, ..]) return $"Storage.{part}";
        return parts.Length > 1 ? parts[1] : parts[0];
    }

    private void Read(TypeDefinition type, string area, string owner)
    {
        foreach (var nested in type.NestedTypes) Read(nested, area, owner);
        Note(type.BaseType);
        foreach (var i in type.Interfaces) Note(i.InterfaceType);
        foreach (var a in type.CustomAttributes) Note(a.AttributeType);
        foreach (var field in type.Fields) Note(field.FieldType);
        foreach (var property in type.Properties) Note(property.PropertyType);
        foreach (var e in type.Events) Note(e.EventType);
        foreach (var method in type.Methods)
        {
            Note(method.ReturnType);
            foreach (var p in method.Parameters) Note(p.ParameterType);
            foreach (var a in method.CustomAttributes) Note(a.AttributeType);
            if (!method.HasBody) continue;
            foreach (var v in method.Body.Variables) Note(v.VariableType);
            foreach (var instruction in method.Body.Instructions) NoteOperand(instruction);
        }

        void NoteOperand(Instruction instruction)
        {
            switch (instruction.Operand)
            {
                case TypeReference t: Note(t); break;
                case MethodReference m:
                    Note(m.DeclaringType);
                    Note(m.ReturnType);
                    foreach (var p in m.Parameters) Note(p.ParameterType);
                    if (m is GenericInstanceMethod g) foreach (var arg in g.GenericArguments) Note(arg);
                    break;
                case FieldReference f: Note(f.DeclaringType); Note(f.FieldType); break;
            }
        }

        void Note(TypeReference? reference)
        {
            switch (reference)
            {
                case null: return;
                case GenericInstanceType generic:
                    foreach (var arg in generic.GenericArguments) Note(arg);
                    Note(generic.ElementType);
                    return;
                case TypeSpecification spec: Note(spec.ElementType); return;
                case GenericParameter: return;
            }
            var top = reference;
            while (top.DeclaringType is not null) top = top.DeclaringType;
            if (reference.Scope is AssemblyNameReference assembly)
            {
                if (!_assemblies.TryGetValue(assembly.Name, out var users)) _assemblies[assembly.Name] = users = [];
                users.Add(owner);
                return;
            }
            if (!top.Namespace.StartsWith("Linli", StringComparison.Ordinal)) return;
            var used = Area(top.Namespace);
            if (used == area) return;
            if (!_uses.TryGetValue(area, out var areaUses)) _uses[area] = areaUses = [];
            if (!areaUses.TryGetValue(used, out var by)) areaUses[used] = by = [];
            by.Add($"{owner} → {top.FullName}");
        }
    }
}
