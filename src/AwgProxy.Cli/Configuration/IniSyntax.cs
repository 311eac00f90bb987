namespace AwgProxy.Cli.Configuration;

/// <summary>
/// A first pass over an INI file with the rules of Microsoft.Extensions.Configuration.Ini (which
/// then reads it): lines are trimmed; blank lines and lines starting with <c>;</c>, <c>#</c> or
/// <c>/</c> are comments; <c>[Section]</c> or <c>[Section:Sub]</c> starts a section; every other
/// line is <c>key = value</c>, split at the first <c>=</c>, with surrounding double quotes removed
/// from the value. Keys are case-insensitive and must be unique.
/// <para>
/// The provider stops at the first error and, for a malformed line, quotes the line (which may hold
/// a key); this pass reports every error with its line number and never quotes content, and records
/// the line of each key so later problems can point at it.
/// </para>
/// </summary>
internal static class IniSyntax
{
    /// <summary>Scans <paramref name="text"/>.</summary>
    public static IniScan Scan(string text)
    {
        var keyLines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<(int Line, string Message)>();
        var section = string.Empty;
        var lineNumber = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } rawLine)
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                var name = line[1..^1].Trim();
                if (name.Length == 0 || name.StartsWith(':') || name.EndsWith(':') || name.Contains("::", StringComparison.Ordinal))
                {
                    problems.Add((lineNumber, "a section header needs a name: [Name] or [Name:Sub]"));
                }

                section = name + ":";
                continue;
            }

            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator < 0)
            {
                problems.Add((lineNumber, line[0] == '['
                    ? "a section header must end with ']'"
                    : "not a 'key = value' line or a [Section] header (comments must be on their own line, starting with ';' or '#')"));
                continue;
            }

            var key = line[..separator].Trim();
            if (key.Length == 0)
            {
                problems.Add((lineNumber, "a key is missing before '='"));
                continue;
            }

            if (LooksLikeBareKey(key, line[(separator + 1)..]))
            {
                problems.Add((lineNumber, "a line holds what looks like a bare base64 key without 'Name = ' in front; it is not shown here"));
                continue;
            }

            var path = section + key;
            if (keyLines.TryGetValue(path, out var first))
            {
                problems.Add((lineNumber, $"duplicate key {ConfigProblem.Describe(path)} (first set on line {first}); each key may appear once (keys are case-insensitive)"));
                continue;
            }

            keyLines.Add(path, lineNumber);
        }

        return new IniScan(keyLines, problems);
    }

    /// <summary>
    /// A pasted key with no name (<c>mgMwrU4O...ALk=</c>) splits at its padding into a long
    /// base64 "key" and an empty value; reporting that key by name would print the secret.
    /// </summary>
    private static bool LooksLikeBareKey(string key, string value) =>
        key.Length >= 40 && value.Trim().TrimEnd('=').Length == 0
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');
}

/// <summary>What <see cref="IniSyntax.Scan"/> found: the line of each key and the syntax problems.</summary>
internal sealed record IniScan(IReadOnlyDictionary<string, int> KeyLines, IReadOnlyList<(int Line, string Message)> Problems);
