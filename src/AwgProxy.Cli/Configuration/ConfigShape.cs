using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// Checks a configuration tree against the options classes it will be bound to, before binding:
/// every key must be a property (case-insensitive, as the binder matches), sections must be
/// sections and values values, and every value must convert to its property's type with the
/// converter the binder uses. The binder itself would stop at the first bad value and ignore
/// unknown keys (a typo like <c>Jcc</c> would silently do nothing); this reports each one, and
/// returns the bad keys so the rest can still be bound and validated in the same run.
/// Values of <see cref="SecretAttribute"/> properties are never quoted.
/// </summary>
internal static class ConfigShape
{
    /// <summary>Checks <paramref name="root"/> against <paramref name="rootType"/>.</summary>
    /// <returns>The paths of the keys that must not be bound.</returns>
    public static IReadOnlySet<string> Check(
        IConfiguration root,
        Type rootType,
        List<ConfigProblem> problems)
    {
        var bad = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var properties = SettableProperties(rootType);
        foreach (var child in root.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                CheckNode(child, property.PropertyType, IsSecret(property), problems, bad);
            }
            else if (child.Value is not null && !child.GetChildren().Any())
            {
                Reject(child, $"{child.Key}: a key outside any [section]", problems, bad);
            }
            else
            {
                var sections = string.Join(", ", properties.Keys.Order(StringComparer.Ordinal).Select(k => $"[{k}]"));
                Reject(child, $"[{child.Key}]: not a section of this config (its sections are {sections})", problems, bad);
            }
        }

        return bad;
    }

    private static void CheckSection(IConfigurationSection node, Type type, List<ConfigProblem> problems, HashSet<string> bad)
    {
        var properties = SettableProperties(type);
        foreach (var child in node.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                CheckNode(child, property.PropertyType, IsSecret(property), problems, bad);
            }
            else
            {
                var keys = string.Join(", ", properties.Keys.Order(StringComparer.Ordinal));
                Reject(child, $"{ConfigProblem.Describe(child.Path)}: unknown key (the keys of [{node.Path}] are {keys})", problems, bad);
            }
        }
    }

    private static void CheckNode(IConfigurationSection node, Type type, bool secret, List<ConfigProblem> problems, HashSet<string> bad)
    {
        var hasChildren = node.GetChildren().Any();
        if (IsScalar(type))
        {
            if (hasChildren)
            {
                Reject(node, $"{ConfigProblem.Describe(node.Path)}: is a value, not a section", problems, bad);
            }
            else if (node.Value is { } value)
            {
                CheckValue(node, type, value, secret, problems, bad);
            }

            return;
        }

        if (!hasChildren && !string.IsNullOrEmpty(node.Value))
        {
            Reject(node, node.Path.Contains(':', StringComparison.Ordinal)
                ? $"{ConfigProblem.Describe(node.Path)}: is a section ([{node.Path}]), not a value"
                : $"[{node.Path}]: is a section, not a value", problems, bad);
            return;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var entry in node.GetChildren())
            {
                CheckNode(entry, valueType, secret, problems, bad);
            }

            return;
        }

        CheckSection(node, type, problems, bad);
    }

    private static void CheckValue(IConfigurationSection node, Type type, string value, bool secret, List<ConfigProblem> problems, HashSet<string> bad)
    {
        if (type == typeof(string))
        {
            return;
        }

        var underlying = Nullable.GetUnderlyingType(type);
        var shown = secret ? SecretAttribute.Redacted : $"'{value}'";
        if (value.Length == 0)
        {
            if (underlying is null)
            {
                Reject(node, $"{ConfigProblem.Describe(node.Path)} is empty: give {Expected(type)} or remove the line to keep the default", problems, bad);
            }

            return;
        }

        var target = underlying ?? type;
        try
        {
            _ = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(value);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            Reject(node, $"{ConfigProblem.Describe(node.Path)} = {shown}: not {Expected(target)}", problems, bad);
        }
    }

    private static void Reject(IConfigurationSection node, string message, List<ConfigProblem> problems, HashSet<string> bad)
    {
        problems.Add(new ConfigProblem(node.Path, message));
        bad.Add(node.Path);
    }

    private static string Expected(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) => "a whole number (-2147483648 to 2147483647)",
            var t when t == typeof(long) => "a whole number",
            var t when t == typeof(bool) => "true or false",
            var t when t == typeof(double) => "a number",
            var t => $"a {t.Name} value",
        };

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(decimal);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static bool IsSecret(PropertyInfo property) => property.GetCustomAttribute<SecretAttribute>() is not null;

    private static Dictionary<string, PropertyInfo> SettableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
}
