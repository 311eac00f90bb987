namespace AwgProxy.IntegrationTests.Support;

/// <summary>Time bounds against hangs. They are never assertions on speed.</summary>
internal static class Bounds
{
    /// <summary>A process to print a line, a request to be answered, a metric to show up.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>A bulk transfer (50 MiB) through the proxy.</summary>
    public static readonly TimeSpan Transfer = TimeSpan.FromSeconds(180);

    public static CancellationToken StepToken() => new CancellationTokenSource(Step).Token;
}
