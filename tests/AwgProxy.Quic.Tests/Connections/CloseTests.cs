using System.Text;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

public class CloseTests
{
    [Fact]
    public void IdleTimeout_ClosesBothSidesSilently()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.IdleTimeout = TimeSpan.FromSeconds(5);
        using var pair = new Pair(seed: 41, client: client);
        pair.DriveHandshake();
        Instant connected = pair.Now;
        long sentBefore = pair.ToServer.DatagramsSent + pair.ToClient.DatagramsSent;

        pair.Drive(() => pair.Client.State == ConnectionState.Closed && pair.Server.State == ConnectionState.Closed, TimeSpan.FromSeconds(30), "Idle timeout");

        Assert.Equal(ConnectionErrorKind.IdleTimeout, pair.Client.Error!.Kind);
        Assert.Equal(ConnectionErrorKind.IdleTimeout, pair.Server.Error!.Kind);
        Assert.True(pair.Now - connected >= TimeSpan.FromSeconds(5), "not before the negotiated 5 s");
        Assert.True(pair.Now - connected < TimeSpan.FromSeconds(6));
        Assert.True(pair.ToServer.DatagramsSent + pair.ToClient.DatagramsSent - sentBefore <= 2, "an idle timeout sends nothing (at most a final ACK was in flight)");
        Assert.Equal(ConnectionEventKind.Drained, pair.ClientEvents[^1].Kind);
        Assert.Equal(0, pair.ClientEndpoint.ConnectionCount);
        Assert.Equal(0, pair.ServerEndpoint.ConnectionCount);
    }

    [Fact]
    public void KeepAlive_PreventsIdleTimeout()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.IdleTimeout = TimeSpan.FromSeconds(5);
        client.KeepAliveInterval = TimeSpan.FromSeconds(2);
        using var pair = new Pair(seed: 42, client: client);
        pair.DriveHandshake();

        pair.RunFor(TimeSpan.FromSeconds(30));

        Assert.Equal(ConnectionState.Connected, pair.Client.State);
        Assert.Equal(ConnectionState.Connected, pair.Server.State);
    }

    [Fact]
    public void ApplicationClose_DeliversCodeAndReasonToThePeer()
    {
        using var pair = new Pair(seed: 43);
        pair.DriveHandshake();

        pair.Client.Close(pair.Now, 42, "bye now"u8);
        Assert.Equal(ConnectionState.Closing, pair.Client.State);
        pair.Drive(() => pair.Server.Error is not null, TimeSpan.FromSeconds(1), "The server learning of the close");

        ConnectionError error = pair.Server.Error!;
        Assert.Equal(ConnectionErrorKind.Application, error.Kind);
        Assert.Equal(42UL, error.Code);
        Assert.Equal("bye now", error.Reason);
        Assert.False(error.IsLocal);
        Assert.Equal(ConnectionState.Draining, pair.Server.State);
        Assert.True(pair.Client.Error!.IsLocal);

        pair.Drive(() => pair.Client.State == ConnectionState.Closed && pair.Server.State == ConnectionState.Closed, TimeSpan.FromSeconds(5), "The end of closing and draining");
        Assert.Equal(0, pair.ServerEndpoint.ConnectionCount);
        Assert.Contains(pair.ServerEvents, e => e.Kind == ConnectionEventKind.Drained);
    }

    [Fact]
    public void ApplicationCloseDuringHandshake_IsSentAsTransportApplicationErrorWithoutReason()
    {
        using var pair = new Pair(seed: 44);
        pair.Connect();
        pair.Drive(() => pair.HasServer, TimeSpan.FromSeconds(1), "The server seeing the ClientHello");

        pair.Client.Close(pair.Now, 7, "secret application state"u8);
        pair.Drive(() => pair.Server.Error is not null, TimeSpan.FromSeconds(2), "The server learning of the close");

        Assert.Equal(ConnectionErrorKind.Transport, pair.Server.Error!.Kind);
        Assert.Equal(TransportErrorCode.APPLICATION_ERROR, pair.Server.Error.TransportErrorCode);
        Assert.Equal(string.Empty, pair.Server.Error.Reason);
    }

    [Fact]
    public void ClosingEndpoint_AnswersLatePacketsAtADecreasingRate()
    {
        using var pair = new Pair(seed: 45);
        pair.DriveHandshake();
        pair.ToServer.Filter = _ => false;
        long receivedBeforeClose = pair.Client.GetStats().DatagramsReceived;
        pair.Client.Close(pair.Now, 1, "x"u8);
        pair.Flush();
        long closes = pair.ToServer.DatagramsSent;

        // The server keeps sending (it never learns of the close): the client answers 1st, 2nd, 4th, 8th... datagram.
        Assert.True(pair.Server.TryOpenStream(StreamDirection.Unidirectional, out ulong stream));
        for (int i = 0; i < 16; i++)
        {
            pair.Server.StreamWrite(stream, new byte[100]);
            pair.Flush();
            pair.RunFor(TimeSpan.FromMilliseconds(15));
        }

        long received = pair.Client.GetStats().DatagramsReceived - receivedBeforeClose;
        long answers = pair.ToServer.DatagramsSent - closes;
        Assert.True(received >= 8, $"the server sent {received} datagrams");
        Assert.Equal(64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)received), answers);
    }

    [Fact]
    public void StatelessReset_ServerThatLostStateResetsTheClient()
    {
        using var pair = new Pair(seed: 46);
        pair.DriveHandshake();
        Connection server = pair.Server;

        // The server loses the connection's state; the client keeps talking.
        pair.ServerEndpoint.Forget(server);
        pair.ServerConnections.Clear();
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Bidirectional, out ulong stream));
        pair.Client.StreamWrite(stream, Encoding.ASCII.GetBytes(new string('a', 200)));
        pair.Drive(() => pair.Client.Error is not null, TimeSpan.FromSeconds(2), "The client recognising the reset");

        Assert.Equal(ConnectionErrorKind.StatelessReset, pair.Client.Error!.Kind);
        Assert.False(pair.Client.Error.IsLocal);
        Assert.Equal(ConnectionState.Draining, pair.Client.State);
        Assert.Contains(pair.ServerResults, r => r.Response == EndpointResponseKind.StatelessReset);
        Assert.Equal(0, pair.ServerEndpoint.ConnectionCount);

        pair.Drive(() => pair.Client.State == ConnectionState.Closed, TimeSpan.FromSeconds(5), "Draining");
        Assert.Equal(0, pair.ClientEndpoint.ConnectionCount);
        server.Dispose();
    }

    [Fact]
    public void StatelessReset_IsNeverLargerThanOrEqualToItsTrigger()
    {
        using var pair = new Pair(seed: 47);
        var response = new byte[2048];
        foreach (int size in new[] { 21, 22, 30, 43, 44, 100, 1200 })
        {
            var datagram = new byte[size];
            new Random(size).NextBytes(datagram);
            datagram[0] = 0x40;
            EndpointReceiveResult result = pair.ServerEndpoint.HandleDatagram(pair.Now, pair.ClientAddress, datagram, EcnCodepoint.NotEct, response, out int length);
            if (result.Kind == EndpointReceiveKind.Response)
            {
                Assert.Equal(EndpointResponseKind.StatelessReset, result.Response);
                Assert.True(length < size, $"a {length}-byte reset for a {size}-byte datagram");
                Assert.True(length >= 21);
            }
            else
            {
                Assert.True(size <= 21, $"no reset for a {size}-byte datagram");
            }
        }
    }

    [Fact]
    public void SilentEndpoint_SendsNoStatelessReset()
    {
        using var pair = new Pair(seed: 48, configureServerEndpoint: o => o.SendStatelessReset = false);
        var datagram = new byte[200];
        datagram[0] = 0x41;
        EndpointReceiveResult result = pair.ServerEndpoint.HandleDatagram(pair.Now, pair.ClientAddress, datagram, EcnCodepoint.NotEct, new byte[2048], out int length);

        Assert.Equal(EndpointDropReason.UnknownConnectionId, result.DropReason);
        Assert.Equal(0, length);
    }
}
