namespace AwgProxy.IntegrationTests.Support;

/// <summary>Edits an INI config's text by section and key (the example configs are the starting point).</summary>
internal sealed class IniText
{
    private readonly List<string> _lines;

    public IniText(string text) => _lines = [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')];

    public static IniText FromExample(string file) =>
        new(File.ReadAllText(Path.Combine(AwgProxyProcess.RepositoryRoot(), "docs", "examples", file)));

    /// <summary>Sets <paramref name="key"/> in <paramref name="section"/> (added if missing).</summary>
    public IniText Set(string section, string key, string value)
    {
        (int start, int end) = FindSection(section);
        if (start < 0)
        {
            _lines.Add(string.Empty);
            _lines.Add($"[{section}]");
            _lines.Add($"{key} = {value}");
            return this;
        }

        for (int i = start + 1; i < end; i++)
        {
            if (KeyOf(_lines[i]) is { } existing && existing.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                _lines[i] = $"{key} = {value}";
                return this;
            }
        }

        _lines.Insert(start + 1, $"{key} = {value}");
        return this;
    }

    /// <summary>Removes a whole section.</summary>
    public IniText RemoveSection(string section)
    {
        (int start, int end) = FindSection(section);
        if (start >= 0)
        {
            _lines.RemoveRange(start, end - start);
        }

        return this;
    }

    /// <summary>Writes the text to <paramref name="path"/>, readable by its owner only.</summary>
    public string WriteTo(string path)
    {
        File.WriteAllText(path, ToString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public override string ToString() => string.Join('\n', _lines) + "\n";

    private static string? KeyOf(string line)
    {
        string trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] is ';' or '#' or '[' or '/')
        {
            return null;
        }

        int equals = trimmed.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? trimmed[..equals].Trim() : null;
    }

    private (int Start, int End) FindSection(string section)
    {
        int start = _lines.FindIndex(l => l.Trim().Equals($"[{section}]", StringComparison.OrdinalIgnoreCase));
        if (start < 0)
        {
            return (-1, -1);
        }

        int end = start + 1;
        while (end < _lines.Count && !_lines[end].TrimStart().StartsWith('['))
        {
            end++;
        }

        return (start, end);
    }
}
