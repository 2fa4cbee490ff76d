using System.Reflection;
using System.Reflection.Emit;
using TinySwap.Contracts;

namespace TinySwap.Tests.Layering;

/// <summary>
/// Api, Proxy and Router meet only in Contracts: none of them may use another's types. Read from the compiled assembly
/// (signatures, base types, locals and every type, method and field token in the IL), so a fully qualified name or a
/// lambda cannot slip past the way a scan of <c>using</c> lines would let it.
/// </summary>
public sealed class LayerDependencyTests
{
    private static readonly string[] Siblings = ["TinySwap.Api", "TinySwap.Proxy", "TinySwap.Router"];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    [Fact]
    public void ApiProxyAndRouter_DoNotReferenceEachOther()
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in typeof(IModelGate).Assembly.GetTypes())
        {
            if (LayerOf(type) is not { } layer)
                continue;
            foreach (var used in UsedTypes(type))
            {
                if (LayerOf(used) is { } other && other != layer)
                    violations.Add($"{type.FullName} ({layer}) uses {used.FullName} ({other})");
            }
        }
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void UsedTypes_SeesATypeUsedOnlyInsideAMethodBody()
    {
        // The check above is only as good as this walk: a type named in nothing but IL must still be found.
        Assert.Contains(typeof(Uri), UsedTypes(typeof(IlOnlyUse)));
    }

    private static string? LayerOf(Type type)
    {
        while (type.DeclaringType is { } outer)
            type = outer;
        var ns = type.Namespace ?? "";
        return Siblings.FirstOrDefault(root => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal));
    }

    private static HashSet<Type> UsedTypes(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !found.Add(t))
                return;
            if (t.HasElementType)
                Add(t.GetElementType());
            if (t.IsConstructedGenericType)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                    Add(argument);
            }
        }

        Add(type.BaseType);
        foreach (var contract in type.GetInterfaces())
            Add(contract);
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(all))
            Add(field.FieldType);
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
                Add(info.ReturnType);
            foreach (var parameter in method.GetParameters())
                Add(parameter.ParameterType);
            if (method.GetMethodBody() is not { } body)
                continue;
            foreach (var local in body.LocalVariables)
                Add(local.LocalType);
            foreach (var member in TokensIn(method, body.GetILAsByteArray() ?? []))
            {
                switch (member)
                {
                    case Type t:
                        Add(t);
                        break;
                    case FieldInfo f:
                        Add(f.DeclaringType);
                        Add(f.FieldType);
                        break;
                    case MethodBase m:
                        Add(m.DeclaringType);
                        if (m is MethodInfo mi)
                        {
                            Add(mi.ReturnType);
                            foreach (var argument in mi.IsGenericMethod ? mi.GetGenericArguments() : [])
                                Add(argument);
                        }
                        foreach (var parameter in m.GetParameters())
                            Add(parameter.ParameterType);
                        break;
                }
            }
        }
        return found;
    }

    /// <summary>Every type, method and field token in a method's IL (ECMA-335 §III: opcode, then an operand of known size).</summary>
    private static IEnumerable<MemberInfo> TokensIn(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
                value = (short)(0xFE00 | il[position++]);
            var code = OpCodesByValue[value];
            var operand = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
                yield return method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments)!;
            position += operand;
        }
    }

    private static class IlOnlyUse
    {
        public static object Make() => new Uri("http://127.0.0.1/");
    }
}
