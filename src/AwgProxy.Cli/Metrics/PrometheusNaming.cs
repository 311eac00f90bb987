using System.Globalization;
using System.Text;

namespace AwgProxy.Cli.Metrics;

/// <summary>
/// How System.Diagnostics.Metrics names become Prometheus names (docs/metrics.md):
/// <list type="bullet">
/// <item>every character outside <c>[a-zA-Z0-9_:]</c> becomes <c>_</c> (so dots become underscores)
/// and a leading digit gets a <c>_</c> in front; label names the same without <c>:</c>;</item>
/// <item>the unit (UCUM, as OpenTelemetry writes it) is appended in words unless the name already
/// ends with it: <c>s</c> → <c>_seconds</c>, <c>ms</c> → <c>_milliseconds</c>, <c>By</c> →
/// <c>_bytes</c>, <c>By/s</c> → <c>_bytes_per_second</c>, <c>1</c> → <c>_ratio</c> (gauges only),
/// <c>%</c> → <c>_percent</c>; annotations in braces (<c>{connection}</c>) add nothing;</item>
/// <item>counters end in <c>_total</c>.</item>
/// </list>
/// </summary>
internal static class PrometheusNaming
{
    private static readonly Dictionary<string, string> s_units = new(StringComparer.Ordinal)
    {
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["min"] = "minutes",
        ["h"] = "hours",
        ["d"] = "days",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["bit"] = "bits",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> s_perUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["ms"] = "millisecond",
        ["min"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
    };

    /// <summary>The Prometheus name of an instrument (the base name for a histogram).</summary>
    public static string MetricName(string instrumentName, string? unit, PrometheusType type)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        var suffix = UnitSuffix(unit, type);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (type == PrometheusType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>A valid label name for a tag key.</summary>
    public static string LabelName(string tagKey) => Sanitize(tagKey, allowColon: false);

    /// <summary>The unit in words, or empty.</summary>
    public static string UnitSuffix(string? unit, PrometheusType type)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return string.Empty;
        }

        unit = StripAnnotations(unit).Trim();
        if (unit.Length == 0)
        {
            return string.Empty;
        }

        if (unit == "1")
        {
            return type == PrometheusType.Gauge ? "ratio" : string.Empty;
        }

        var slash = unit.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < unit.Length - 1)
        {
            var numerator = Word(unit[..slash]);
            var denominator = s_perUnits.TryGetValue(unit[(slash + 1)..], out var per) ? per : Word(unit[(slash + 1)..]);
            return numerator.Length == 0 ? "per_" + denominator : $"{numerator}_per_{denominator}";
        }

        return Word(unit);
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Escapes HELP text: backslash and line feed.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A sample value: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Word(string unit)
    {
        if (unit.Length == 0)
        {
            return string.Empty;
        }

        return s_units.TryGetValue(unit, out var word) ? word : Sanitize(unit, allowColon: false).Trim('_');
    }

    private static string StripAnnotations(string unit)
    {
        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "_";
        }

        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return builder.ToString();
    }
}
