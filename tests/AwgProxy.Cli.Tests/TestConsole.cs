using AwgProxy.Cli.Hosting;

namespace AwgProxy.Cli.Tests;

/// <summary>An in-memory console for running commands in process.</summary>
internal sealed class TestConsole
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public TestConsole(string stdin = "")
    {
        Console = new CliConsole(new StringReader(stdin), Out, Error, () => WorldAccessible, name => _environment.GetValueOrDefault(name));
    }

    public StringWriter Out { get; } = new() { NewLine = "\n" };

    public StringWriter Error { get; } = new() { NewLine = "\n" };

    public bool WorldAccessible { get; set; }

    public CliConsole Console { get; }

    public TestConsole With(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }
}
