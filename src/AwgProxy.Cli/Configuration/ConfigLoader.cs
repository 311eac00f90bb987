using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Ini;
using Microsoft.Extensions.Configuration.Json;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// Loads a config file the one way every command does (<c>client</c>, <c>server</c>, <c>check</c>):
/// <list type="number">
/// <item>reads the file (at most <see cref="MaxFileBytes"/>); <c>.json</c> is JSON, anything else INI;</item>
/// <item>for INI, checks the syntax first (<see cref="IniSyntax"/>: duplicate keys, malformed lines,
/// each with its line number);</item>
/// <item>builds the configuration with Microsoft.Extensions.Configuration's INI or JSON provider, then
/// <c>AWGPROXY_</c> environment variables on top (<c>AWGPROXY_Awg__Jc=7</c> sets <c>[Awg] Jc</c>);</item>
/// <item>tells the role from the <c>[Client]</c> or <c>[Server]</c> section;</item>
/// <item>checks the shape against the options classes (<see cref="ConfigShape"/>: unknown sections
/// and keys, values of the wrong type), binds the rest with the configuration binder, and validates
/// it (<see cref="ConfigValidator"/>).</item>
/// </list>
/// Every problem of every step that can run is reported in one pass, each prefixed with where the
/// value came from (<c>file:line</c> or the environment variable). It never throws for a bad file.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Prefix of the environment variables that override the file; <c>__</c> separates sections.</summary>
    public const string EnvironmentPrefix = "AWGPROXY_";

    /// <summary>Largest config file read.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>
    /// Loads and validates <paramref name="path"/>. With <paramref name="expectedRole"/> set, a file of
    /// the other role is an error.
    /// </summary>
    public static ConfigLoadResult Load(string path, ProxyRole? expectedRole = null, ConfigLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new ConfigLoadOptions();
        var format = string.Equals(System.IO.Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase) ? ConfigFormat.Json : ConfigFormat.Ini;

        if (!TryRead(path, out var bytes, out var readError))
        {
            return Failed(path, format, null, [readError]);
        }

        IReadOnlyDictionary<string, int> keyLines = new Dictionary<string, int>();
        if (format == ConfigFormat.Ini)
        {
            var scan = IniSyntax.Scan(Decode(bytes));
            if (scan.Problems.Count > 0)
            {
                return Failed(path, format, null, [.. scan.Problems.Select(p => $"{path}:{p.Line}: {p.Message}")]);
            }

            keyLines = scan.KeyLines;
        }

        IConfigurationRoot root;
        try
        {
            var builder = new ConfigurationBuilder();
            if (format == ConfigFormat.Json)
            {
                builder.Add(new JsonStreamConfigurationSource { Stream = new MemoryStream(bytes) });
            }
            else
            {
                builder.Add(new IniStreamConfigurationSource { Stream = new MemoryStream(bytes) });
            }

            if (options.IncludeEnvironment)
            {
                builder.AddEnvironmentVariables(EnvironmentPrefix);
            }

            root = builder.Build();
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? $":{l + 1}" : string.Empty;
            var column = e.BytePositionInLine is { } c ? $" (column {c + 1})" : string.Empty;
            return Failed(path, format, null, [$"{path}{line}: not valid JSON{column}: {FirstSentence(e.Message)}"]);
        }
        catch (FormatException e)
        {
            return Failed(path, format, null, [$"{path}: {e.Message}"]);
        }

        var locator = new Locator(path, root, keyLines);
        var hasClient = root.GetSection("Client").Exists();
        var hasServer = root.GetSection("Server").Exists();
        ProxyRole role;
        if (hasClient == hasServer)
        {
            var message = hasClient
                ? "has both a [Client] and a [Server] section: a config file describes one side"
                : "has neither a [Client] nor a [Server] section: a config file describes one side (see docs/configuration.md)";
            return Failed(path, format, null, [$"{path}: {message}"]);
        }
        else
        {
            role = hasClient ? ProxyRole.Client : ProxyRole.Server;
        }

        if (expectedRole is { } expected && expected != role)
        {
            var command = role == ProxyRole.Client ? "client" : "server";
            return Failed(path, format, role, [$"{path}: is a {command} config ([{(role == ProxyRole.Client ? "Client" : "Server")}]); run it with 'awgproxy {command}'"]);
        }

        var errors = new List<ConfigProblem>();
        var warnings = new List<ConfigProblem>();
        ProxyConfig bound = role == ProxyRole.Client ? new ClientConfig() : new ServerConfig();
        var bad = ConfigShape.Check(root, bound.GetType(), errors);
        var bindable = bad.Count == 0
            ? (IConfiguration)root
            : new ConfigurationBuilder()
                .AddInMemoryCollection(root.AsEnumerable().Where(kv => kv.Value is not null && !IsUnder(kv.Key, bad)))
                .Build();
        try
        {
            bindable.Bind(bound);
        }
        catch (InvalidOperationException)
        {
            // ConfigShape checks what the binder converts, so this is not expected; the binder's
            // message would quote the value, which may be a secret.
            errors.Add(new ConfigProblem(null, "the configuration could not be bound to the options"));
            return Failed(path, format, role, locator.RenderAll(errors));
        }

        IResolvedConfig? resolved = bound switch
        {
            ClientConfig client => ConfigValidator.ResolveClient(client, path, options.LogLevelOverride, errors, warnings),
            ServerConfig server => ConfigValidator.ResolveServer(server, path, options.LogLevelOverride, errors, warnings),
            _ => null,
        };

        if (errors.Count > 0)
        {
            resolved?.Dispose();
            resolved = null;
        }

        return new ConfigLoadResult(path, format, role, locator.RenderAll(errors), locator.RenderAll(warnings), resolved);
    }

    private static ConfigLoadResult Failed(string path, ConfigFormat format, ProxyRole? role, IReadOnlyList<string> errors) =>
        new(path, format, role, errors, [], null);

    private static bool TryRead(string path, out byte[] bytes, out string error)
    {
        bytes = [];
        try
        {
            if (Directory.Exists(path))
            {
                error = $"cannot read {path}: it is a directory";
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[MaxFileBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            if (length > MaxFileBytes)
            {
                error = $"cannot read {path}: larger than {MaxFileBytes} bytes, not a config file";
                return false;
            }

            bytes = buffer[..length];
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error = $"cannot read {path}: no such file";
        }
        catch (UnauthorizedAccessException)
        {
            error = $"cannot read {path}: permission denied";
        }
        catch (IOException e)
        {
            error = $"cannot read {path}: {e.Message}";
        }

        return false;
    }

    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static bool IsUnder(string key, IReadOnlySet<string> paths)
    {
        if (paths.Contains(key))
        {
            return true;
        }

        for (var colon = key.LastIndexOf(':'); colon > 0; colon = key.LastIndexOf(':', colon - 1))
        {
            if (paths.Contains(key[..colon]))
            {
                return true;
            }
        }

        return false;
    }

    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var index = message.IndexOf(marker, StringComparison.Ordinal);
            if (index > 0)
            {
                message = message[..index];
            }
        }

        return message.Trim().TrimEnd('|').Trim();
    }

    /// <summary>
    /// Finds where a key's effective value came from (an environment variable, a line of the file,
    /// or the file) and renders problems in file order: the file as a whole, then by line, then
    /// environment variables.
    /// </summary>
    private sealed class Locator(string path, IConfigurationRoot root, IReadOnlyDictionary<string, int> keyLines)
    {
        public IReadOnlyList<string> RenderAll(IEnumerable<ConfigProblem> problems) =>
            [.. problems.Select(Render).OrderBy(r => r.Order).Select(r => r.Text)];

        private (int Order, string Text) Render(ConfigProblem problem)
        {
            var (order, location) = Locate(problem.Path);
            return (order, $"{location}: {problem.Message}");
        }

        private (int Order, string Location) Locate(string? key)
        {
            if (key is null)
            {
                return (0, path);
            }

            foreach (var provider in root.Providers.Reverse())
            {
                if (!Supplies(provider, key))
                {
                    continue;
                }

                if (provider is EnvironmentVariablesConfigurationProvider)
                {
                    return (int.MaxValue, $"environment {EnvironmentPrefix}{key.Replace(":", "__", StringComparison.Ordinal)}");
                }

                break;
            }

            if (keyLines.TryGetValue(key, out var line))
            {
                return (line, $"{path}:{line}");
            }

            // A section: point at its first key.
            var prefix = key + ":";
            var first = keyLines.Where(kv => kv.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(kv => kv.Value).DefaultIfEmpty().Min();
            return first > 0 ? (first, $"{path}:{first}") : (0, path);
        }

        private static bool Supplies(IConfigurationProvider provider, string key) =>
            provider.TryGet(key, out _) || provider.GetChildKeys([], key).Any();
    }
}
