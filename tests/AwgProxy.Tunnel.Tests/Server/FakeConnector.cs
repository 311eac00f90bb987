using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AwgProxy.Tunnel.Tests.Doubles;

namespace AwgProxy.Tunnel.Tests.Server;

/// <summary>A scripted <see cref="AwgProxy.Tunnel.Server.SocketConnector"/>: per address it succeeds, fails or hangs until canceled.</summary>
internal sealed class FakeConnector(TimeProvider time)
{
    private readonly ConcurrentDictionary<IPAddress, Func<CancellationToken, Task<Socket>>> _behaviours = new();
    private readonly SemaphoreSlim _called = new(0);

    public ConcurrentQueue<(IPEndPoint EndPoint, DateTimeOffset At)> Calls { get; } = new();

    public ConcurrentQueue<IPEndPoint> Canceled { get; } = new();

    public void Succeed(string address) =>
        _behaviours[IPAddress.Parse(address)] = _ => Task.FromResult(new Socket(SocketType.Stream, ProtocolType.Tcp));

    public void Fail(string address, SocketError error) =>
        _behaviours[IPAddress.Parse(address)] = _ => Task.FromException<Socket>(new SocketException((int)error));

    public async Task<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        Calls.Enqueue((endPoint, time.GetUtcNow()));
        _called.Release();
        if (_behaviours.TryGetValue(endPoint.Address, out Func<CancellationToken, Task<Socket>>? behaviour))
        {
            return await behaviour(cancellationToken);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Canceled.Enqueue(endPoint);
            throw;
        }

        throw new InvalidOperationException("unreachable");
    }

    public async Task WaitForCallsAsync(int count)
    {
        while (Calls.Count < count)
        {
            Assert.True(await _called.WaitAsync(TestTimeouts.Default), $"connector reached {Calls.Count} of {count} calls");
        }
    }
}
