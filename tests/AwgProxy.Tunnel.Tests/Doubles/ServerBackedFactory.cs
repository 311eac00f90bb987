using AwgProxy.Tunnel.Server;

namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>
/// A client-side connection factory over in-memory connections. Each successful connect creates a
/// pair and, unless <see cref="ServerBehaviour"/> replaces it, serves the server end with a real
/// <see cref="TunnelServer"/>. Attempts can be made to fail.
/// </summary>
internal sealed class ServerBackedFactory : ITunnelConnectionFactory, IAsyncDisposable
{
    private readonly TunnelServer? _server;
    private readonly string _clientIdentity;
    private readonly SemaphoreSlim _attempted = new(0);
    private readonly Lock _lock = new();
    private int _attempts;

    public ServerBackedFactory(TunnelServer? server, string clientIdentity = "alice")
    {
        _server = server;
        _clientIdentity = clientIdentity;
    }

    /// <summary>Attempts that throw before one succeeds.</summary>
    public int FailuresBeforeSuccess { get; set; }

    public bool FailForever { get; set; }

    /// <summary>Replaces the TunnelServer for the server end (for scripted misbehaviour).</summary>
    public Func<InMemoryTunnelConnection, CancellationToken, Task>? ServerBehaviour { get; set; }

    public CancellationTokenSource ServerStop { get; } = new();

    public int Attempts => Volatile.Read(ref _attempts);

    public List<InMemoryTunnelConnection> ClientEnds { get; } = [];

    public List<Task> ServerTasks { get; } = [];

    public ValueTask<ITunnelConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_lock)
            {
                if (FailForever || FailuresBeforeSuccess > 0)
                {
                    FailuresBeforeSuccess--;
                    throw new IOException("Handshake failed (test).");
                }

                var (client, server) = InMemoryTunnelConnection.CreatePair(_clientIdentity);
                ClientEnds.Add(client);
                ServerTasks.Add(ServerBehaviour is { } behaviour
                    ? behaviour(server, ServerStop.Token)
                    : _server!.HandleConnectionAsync(server, ServerStop.Token));
                return ValueTask.FromResult<ITunnelConnection>(client);
            }
        }
        finally
        {
            _attempted.Release();
        }
    }

    /// <summary>The newest client end.</summary>
    public InMemoryTunnelConnection Latest
    {
        get
        {
            lock (_lock)
            {
                return ClientEnds[^1];
            }
        }
    }

    public async Task WaitForAttemptsAsync(int count)
    {
        while (Attempts < count)
        {
            Assert.True(await _attempted.WaitAsync(TestTimeouts.Default), $"factory reached {Attempts} of {count} attempts");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ServerStop.CancelAsync();
        Task[] tasks;
        lock (_lock)
        {
            tasks = [.. ServerTasks];
        }

        await Task.WhenAll(tasks).WaitAsync(TestTimeouts.Default);
        ServerStop.Dispose();
    }
}
