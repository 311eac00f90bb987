namespace AwgProxy.Interop.Tests.Peers;

/// <summary>
/// Builds <c>../shared/interop/quicgo-peer</c> once for the interop collection (Debian's Go 1.19 and quic-go
/// 0.29, offline, with its own GOCACHE in a temporary directory) and removes the build when the collection ends.
/// A missing Go toolchain or quic-go package fails every test that needs the peer.
/// </summary>
public sealed class QuicGoPeerFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "awgproxy-quicgo-" + Guid.NewGuid().ToString("N"));
    private string? _executable;
    private string? _buildFailure;

    /// <summary>The built quicgo-peer binary; fails the calling test when the build failed.</summary>
    public string Executable
    {
        get
        {
            if (_executable is null) Assert.Fail(_buildFailure ?? "quicgo-peer was not built.");
            return _executable!;
        }
    }

    /// <summary>Environment for every quicgo-peer process: one OS thread for Go code on a 2-core machine.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string> { ["GOMAXPROCS"] = "1" };

    public async Task InitializeAsync()
    {
        string go;
        try
        {
            go = PeerEnvironment.RequireExecutable("go", "golang-go golang-github-lucas-clemente-quic-go-dev");
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            _buildFailure = e.Message;
            return;
        }

        Directory.CreateDirectory(_directory);
        string output = Path.Combine(_directory, "quicgo-peer");
        string script = Path.Combine(PeerEnvironment.InteropDirectory, "quicgo-peer", "build.sh");
        var environment = new Dictionary<string, string> { ["GOCACHE"] = Path.Combine(_directory, "gocache"), ["GOMAXPROCS"] = "1" };
        await using PeerProcess build = PeerProcess.Start("quicgo-peer build", "/bin/sh", [script, output], environment);
        int exit;
        try
        {
            exit = await build.WaitForExitAsync(TimeSpan.FromMinutes(3));
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            _buildFailure = e.Message;
            return;
        }

        if (exit != 0 || !File.Exists(output))
        {
            _buildFailure = $"Building quicgo-peer with {go} failed ({exit}); install golang-go and golang-github-lucas-clemente-quic-go-dev:\n{build.Output}";
            return;
        }

        _executable = output;
    }

    public Task DisposeAsync()
    {
        try
        {
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Go marks its cache read-only; the directory stays in /tmp.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InteropPeersCollection : ICollectionFixture<QuicGoPeerFixture>
{
    public const string Name = "Interop peers";
}
