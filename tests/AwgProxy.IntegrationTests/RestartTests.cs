using AwgProxy.IntegrationTests.Support;

namespace AwgProxy.IntegrationTests;

/// <summary>The server dies mid-session (kill -9) and comes back on the same port: the client reconnects by itself.</summary>
public class RestartTests
{
    [Fact]
    public async Task ServerKilledMidSessionAndRestarted_ClientReconnectsAndNewRequestsSucceed()
    {
        await using var echo = new EchoServer();
        await using ProxyPair pair = await ProxyPair.StartAsync();

        // A session in progress.
        (byte reply, Socks5Probe session) = await Socks5Probe.OpenAsync(pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", echo.Port);
        await using (session)
        {
            Assert.Equal(0, reply);
            await session.Stream.WriteAsync("before the crash"u8.ToArray());
            Assert.Equal("before the crash"u8.ToArray(), await session.ReadExactlyAsync(16));

            await pair.Server.KillAsync();
            int port = pair.ServerPort;
            await pair.StartServerAsync(port);
            Assert.Equal(port, pair.ServerPort);

            // The old session is gone with its server: writing to it ends it (the client learns the connection is dead).
            await session.Stream.WriteAsync("after the crash"u8.ToArray());
            byte[] left = await ReadUntilClosedAsync(session).WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException(pair.Describe()));
            Assert.Empty(left);
        }

        // New requests succeed through a new connection, made by the client alone.
        await pair.Client.WaitForLineAsync("Tunnel reconnected to");
        (reply, Socks5Probe fresh) = await Socks5Probe.OpenAsync(pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", echo.Port);
        await using (fresh)
        {
            Assert.True(reply == 0, $"reply {reply}\n{pair.Describe()}");
            await fresh.Stream.WriteAsync("after the restart"u8.ToArray());
            Assert.Equal("after the restart"u8.ToArray(), await fresh.ReadExactlyAsync(17));
        }

        Metrics metrics = await Metrics.WaitForAsync(pair.ClientMetrics, "awgproxy_tunnel_client_reconnects_total", 1);
        Assert.Equal(1, metrics.Sum("awgproxy_tunnel_client_connected"));
    }

    /// <summary>Reads what is left until the proxy closes the connection (FIN or reset).</summary>
    private static async Task<byte[]> ReadUntilClosedAsync(Socks5Probe probe)
    {
        try
        {
            return await probe.ReadToEndAsync();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
