using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace AwgProxy.Socks5;

/// <summary>
/// Checks <see cref="Socks5ServerOptions"/> and reports every problem in one pass, each naming the setting
/// and the offending value (never a password).
/// </summary>
public sealed class Socks5ServerOptionsValidator : IValidateOptions<Socks5ServerOptions>
{
    private static readonly TimeSpan s_maxTimeout = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, Socks5ServerOptions options)
    {
        IReadOnlyList<string> failures = GetFailures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem with <paramref name="options"/>; empty when they are valid.</summary>
    public static IReadOnlyList<string> GetFailures(Socks5ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        var endPoints = new HashSet<IPEndPoint>();
        for (int i = 0; i < options.ListenEndPoints.Count; i++)
        {
            string text = options.ListenEndPoints[i];
            if (!Socks5ServerOptions.TryParseEndPoint(text, out IPEndPoint endPoint))
            {
                failures.Add($"ListenEndPoints[{i}] '{text}' is not an IP literal with a port, such as 127.0.0.1:1080 or [::1]:1080.");
            }
            else if (endPoint.Port != 0 && !endPoints.Add(endPoint))
            {
                failures.Add($"ListenEndPoints[{i}] '{text}' is listed more than once.");
            }
        }

        if (options.Users.Count == 0)
        {
            failures.Add("Users is empty: at least one user is required (anonymous access is not offered).");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Users.Count; i++)
        {
            Socks5User? user = options.Users[i];
            if (user is null)
            {
                failures.Add($"Users[{i}] is null.");
                continue;
            }

            int nameLength = Encoding.UTF8.GetByteCount(user.UserName ?? string.Empty);
            if (nameLength is 0 or > Protocol.Socks5Constants.MaxUserNameLength)
            {
                failures.Add($"Users[{i}].UserName '{user.UserName}' must have 1 to 255 UTF-8 bytes (has {nameLength}).");
            }
            else if (!names.Add(user.UserName!))
            {
                failures.Add($"Users[{i}].UserName '{user.UserName}' is used by more than one user.");
            }

            int passwordLength = Encoding.UTF8.GetByteCount(user.Password ?? string.Empty);
            if (passwordLength is 0 or > Protocol.Socks5Constants.MaxPasswordLength)
            {
                failures.Add($"Users[{i}].Password of '{user.UserName}' must have 1 to 255 UTF-8 bytes (has {passwordLength}).");
            }
        }

        CheckTimeout(failures, nameof(options.HandshakeTimeout), options.HandshakeTimeout);
        CheckTimeout(failures, nameof(options.ConnectTimeout), options.ConnectTimeout);
        if (options.IdleTimeout is TimeSpan idle)
        {
            CheckTimeout(failures, nameof(options.IdleTimeout), idle);
        }

        CheckRange(failures, nameof(options.MaxConcurrentSessions), options.MaxConcurrentSessions, 1, 1_000_000);
        CheckRange(failures, nameof(options.RelayBufferSize), options.RelayBufferSize, 1024, 1024 * 1024);
        CheckRange(failures, nameof(options.ListenBacklog), options.ListenBacklog, 1, 65535);
        return failures;
    }

    private static void CheckTimeout(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > s_maxTimeout)
        {
            failures.Add($"{name} is {value}; it must be greater than zero and at most {s_maxTimeout}.");
        }
    }

    private static void CheckRange(List<string> failures, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
