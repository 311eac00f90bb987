using System.Globalization;

namespace AwgProxy.Tunnel;

/// <summary>Collects option errors in one pass, each naming the configuration key and its value.</summary>
internal sealed class OptionsErrors
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public void Add(string key, object? value, string problem) =>
        _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} = '{Format(value)}': {problem}"));

    public void Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            Add(key, value, "must be greater than zero.");
        }
    }

    public void PositiveOrInfinite(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            Add(key, value, "must be greater than zero, or -00:00:00.001 (infinite) to disable.");
        }
    }

    public void NotNegative(string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            Add(key, value, "must not be negative.");
        }
    }

    public void InRange(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(key, value, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}."));
        }
    }

    public void InRange(string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            Add(key, value, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}."));
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "(null)",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
