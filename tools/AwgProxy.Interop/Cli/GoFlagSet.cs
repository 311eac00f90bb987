using System.Globalization;
using System.Text;

namespace AwgProxy.Interop.Cli;

/// <summary>
/// A command-line parser with the syntax of Go's <c>flag</c> package, so that the interop tool accepts
/// the same command lines as quicgo-peer:
/// <list type="bullet">
/// <item><c>-flag value</c>, <c>-flag=value</c>, and the same with two dashes;</item>
/// <item>boolean flags as <c>-flag</c> or <c>-flag=value</c> (never <c>-flag value</c>);</item>
/// <item>parsing stops at the first argument that is not a flag, or after <c>--</c>;</item>
/// <item><c>-h</c> / <c>-help</c> ask for the usage text.</item>
/// </list>
/// Error messages are Go's ("flag provided but not defined: -x", "invalid value \"y\" for flag -x: parse
/// error", "flag needs an argument: -x").
/// </summary>
public sealed class GoFlagSet
{
    private readonly SortedDictionary<string, Flag> _flags = new(StringComparer.Ordinal);

    public GoFlagSet(string name)
    {
        Name = name;
    }

    /// <summary>The command name used in the usage text ("Usage of NAME:").</summary>
    public string Name { get; }

    /// <summary>
    /// Adds a flag that takes a value. <paramref name="apply"/> receives the text and returns null on success
    /// or the reason it is invalid (Go prints "invalid value …: REASON").
    /// </summary>
    public void Add(string name, string typeName, string usage, string defaultText, Func<string, string?> apply) =>
        _flags.Add(name, new Flag(name, typeName, usage, defaultText, IsBool: false, apply));

    public void AddString(string name, string usage, string defaultValue, Action<string> assign) =>
        Add(name, "string", usage, defaultValue.Length == 0 ? string.Empty : Quote(defaultValue), text =>
        {
            assign(text);
            return null;
        });

    public void AddBool(string name, string usage, bool defaultValue, Action<bool> assign) =>
        _flags.Add(name, new Flag(name, string.Empty, usage, defaultValue ? "true" : string.Empty, IsBool: true, text =>
        {
            if (!TryParseBool(text, out bool value))
            {
                return "parse error";
            }

            assign(value);
            return null;
        }));

    public void AddInt64(string name, string usage, long defaultValue, Action<long> assign) =>
        Add(name, "int", usage, DefaultNumber(defaultValue), text =>
        {
            GoInteger.ParseError error = GoInteger.TryParseInt64(text, out long value);
            if (error != GoInteger.ParseError.None)
            {
                return Describe(error);
            }

            assign(value);
            return null;
        });

    public void AddInt32(string name, string usage, int defaultValue, Action<int> assign) =>
        Add(name, "int", usage, DefaultNumber(defaultValue), text =>
        {
            GoInteger.ParseError error = GoInteger.TryParseInt64(text, out long value);
            if (error == GoInteger.ParseError.None && value is < int.MinValue or > int.MaxValue)
            {
                error = GoInteger.ParseError.Range;
            }

            if (error != GoInteger.ParseError.None)
            {
                return Describe(error);
            }

            assign((int)value);
            return null;
        });

    public void AddUInt64(string name, string usage, ulong defaultValue, Action<ulong> assign) =>
        Add(name, "uint", usage, defaultValue == 0 ? string.Empty : defaultValue.ToString(CultureInfo.InvariantCulture), text =>
        {
            GoInteger.ParseError error = GoInteger.TryParseUInt64(text, out ulong value);
            if (error != GoInteger.ParseError.None)
            {
                return Describe(error);
            }

            assign(value);
            return null;
        });

    public void AddDuration(string name, string usage, TimeSpan defaultValue, Action<TimeSpan> assign) =>
        Add(name, "duration", usage, defaultValue == TimeSpan.Zero ? string.Empty : GoDuration.Format(defaultValue), text =>
        {
            if (!GoDuration.TryParse(text, out TimeSpan value))
            {
                return "parse error";
            }

            assign(value);
            return null;
        });

    /// <summary>
    /// Parses <paramref name="args"/>, calling each flag's setter in order. Arguments after the flags are
    /// returned in <see cref="GoFlagParseResult.Remaining"/>.
    /// </summary>
    public GoFlagParseResult Parse(IReadOnlyList<string> args)
    {
        int index = 0;
        while (index < args.Count)
        {
            string arg = args[index];
            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }

            int dashes = 1;
            if (arg[1] == '-')
            {
                dashes = 2;
                if (arg.Length == 2)
                {
                    index++;
                    break;
                }
            }

            string name = arg[dashes..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=')
            {
                return GoFlagParseResult.Fail($"bad flag syntax: {arg}");
            }

            index++;
            string? value = null;
            int equals = name.IndexOf('=', 1);
            if (equals > 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (!_flags.TryGetValue(name, out Flag? flag))
            {
                if (name is "help" or "h")
                {
                    return GoFlagParseResult.Help();
                }

                return GoFlagParseResult.Fail($"flag provided but not defined: -{name}");
            }

            if (flag.IsBool)
            {
                if (value is not null && flag.Apply(value) is not null)
                {
                    return GoFlagParseResult.Fail($"invalid boolean value {Quote(value)} for -{name}: parse error");
                }

                if (value is null)
                {
                    flag.Apply("true");
                }

                continue;
            }

            if (value is null)
            {
                if (index >= args.Count)
                {
                    return GoFlagParseResult.Fail($"flag needs an argument: -{name}");
                }

                value = args[index++];
            }

            string? reason = flag.Apply(value);
            if (reason is not null)
            {
                return GoFlagParseResult.Fail($"invalid value {Quote(value)} for flag -{name}: {reason}");
            }
        }

        return GoFlagParseResult.Ok(args.Skip(index).ToArray());
    }

    /// <summary>Writes the usage text the way Go's <c>PrintDefaults</c> lays it out.</summary>
    public void WriteUsage(TextWriter writer)
    {
        var builder = new StringBuilder();
        builder.Append("Usage of ").Append(Name).Append(":\n");
        foreach (Flag flag in _flags.Values)
        {
            int start = builder.Length;
            builder.Append("  -").Append(flag.Name);
            if (flag.TypeName.Length > 0)
            {
                builder.Append(' ').Append(flag.TypeName);
            }

            builder.Append(builder.Length - start <= 4 ? "\t" : "\n    \t");
            builder.Append(flag.Usage.Replace("\n", "\n    \t", StringComparison.Ordinal));
            if (flag.DefaultText.Length > 0)
            {
                builder.Append(" (default ").Append(flag.DefaultText).Append(')');
            }

            builder.Append('\n');
        }

        writer.Write(builder.ToString());
    }

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static string Describe(GoInteger.ParseError error) =>
        error == GoInteger.ParseError.Range ? "value out of range" : "parse error";

    private static string DefaultNumber(long value) => value == 0 ? string.Empty : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A Go-style quoted string (%q) for ASCII text.</summary>
    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ':
                    builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private sealed record Flag(string Name, string TypeName, string Usage, string DefaultText, bool IsBool, Func<string, string?> Apply);
}
