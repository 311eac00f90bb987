using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

public class RetryTests
{
    private static bool IsRetry(byte[] datagram) => (datagram[0] & 0xf0) == 0xf0;

    private static ReadOnlySpan<byte> InitialToken(byte[] datagram)
    {
        Assert.True(PacketHeader.TryParse(datagram, 8, out PacketHeader header, out _));
        return header.Token.ToArray();
    }

    [Fact]
    public void RequireRetry_HandshakeCompletesThroughRetry()
    {
        using var pair = new Pair(seed: 21, configureServerEndpoint: o => o.RequireRetry = true);
        pair.DriveHandshake();

        Assert.Equal(EndpointResponseKind.Retry, pair.ServerResults[0].Response);
        SimulatedDatagram retry = Assert.Single(pair.ToClient.Log, d => IsRetry(d.Payload));
        ConnectionId original = PacketInspector.LongHeaderIds(pair.ToServer.Log[0].Payload).Destination;
        ConnectionId retrySource = PacketInspector.LongHeaderIds(retry.Payload).Source;

        // The ClientHello goes out twice with the flag: first under the original keys, then after the Retry with the token.
        List<SimulatedDatagram> flagged = pair.ToServer.Log.Where(d => d.ContainsClientHello).ToList();
        Assert.Equal(2, flagged.Count);
        Assert.True(PacketInspector.CarriesClientHello(flagged[0].Payload, original));
        Assert.True(PacketInspector.CarriesClientHello(flagged[1].Payload, retrySource));
        Assert.True(InitialToken(flagged[0].Payload).IsEmpty);
        Assert.False(InitialToken(flagged[1].Payload).IsEmpty);
        Assert.Equal(retrySource, PacketInspector.LongHeaderIds(flagged[1].Payload).Destination);
    }

    [Fact]
    public void RetryWithTamperedIntegrityTag_IsIgnored()
    {
        using var pair = new Pair(seed: 22, configureServerEndpoint: o => o.RequireRetry = true);
        bool tampered = false;
        pair.ToClient.Rewrite = d =>
        {
            if (tampered || !IsRetry(d.Payload)) return d;
            tampered = true;
            byte[] bytes = (byte[])d.Payload.Clone();
            bytes[^1] ^= 0x01;
            return d with { Payload = bytes };
        };
        pair.DriveHandshake(TimeSpan.FromSeconds(10));

        Assert.True(tampered);
        Assert.True(pair.ToClient.Log.Count(d => IsRetry(d.Payload)) >= 2);

        // The client resent its ClientHello without a token on its probe timeout (it ignored the tampered Retry),
        // then with the token of a good one.
        List<SimulatedDatagram> flagged = pair.ToServer.Log.Where(d => d.ContainsClientHello).ToList();
        Assert.True(flagged.Count >= 3);
        Assert.True(InitialToken(flagged[1].Payload).IsEmpty);
        Assert.False(InitialToken(flagged[^1].Payload).IsEmpty);
    }

    [Fact]
    public void RetryTokenReplayedFromAnotherAddress_IsRefusedWithInvalidToken()
    {
        byte[] key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        using var pair = new Pair(seed: 23, configureServerEndpoint: o =>
        {
            o.RequireRetry = true;
            o.StaticKey = key;
        });
        pair.DriveHandshake();
        SimulatedDatagram withToken = pair.ToServer.Log.Where(d => d.ContainsClientHello).Last();

        // A second server instance sharing the key (the token's only state) sees the Initial replayed.
        using var other = new Endpoint(new EndpointOptions { Server = TestPeers.Server(), RequireRetry = true, StaticKey = key });
        var response = new byte[2048];
        EndpointReceiveResult result = other.HandleDatagram(
            pair.Now, TestPeers.Address("10.9.9.9", 5555), (byte[])withToken.Payload.Clone(), EcnCodepoint.NotEct, response, out int length);

        Assert.Equal(EndpointReceiveKind.Response, result.Kind);
        Assert.Equal(EndpointResponseKind.InvalidToken, result.Response);
        Assert.True(length > 0);
        Assert.Equal(0, other.ConnectionCount);

        // From the address it was issued to, the same token is accepted.
        result = other.HandleDatagram(pair.Now, pair.ClientAddress, (byte[])withToken.Payload.Clone(), EcnCodepoint.NotEct, response, out _);
        Assert.Equal(EndpointReceiveKind.NewConnection, result.Kind);
    }

    [Fact]
    public void ClientAddressChangesAfterRetry_ClientSeesInvalidTokenClose()
    {
        using var pair = new Pair(seed: 24, configureServerEndpoint: o => o.RequireRetry = true);
        pair.ToClient.Rewrite = d =>
        {
            // The NAT rebinds while the Retry is on its way back.
            if (IsRetry(d.Payload)) pair.ClientAddress = TestPeers.Address("10.0.0.1", 40001);
            return d with { Destination = TestPeers.Address("10.0.0.1", 40001) };
        };
        pair.Connect();
        pair.Drive(() => pair.Client.Error is not null, TimeSpan.FromSeconds(5), "The client learning of the refusal");

        Assert.Equal(ConnectionErrorKind.Transport, pair.Client.Error!.Kind);
        Assert.Equal(TransportErrorCode.INVALID_TOKEN, pair.Client.Error.TransportErrorCode);
        Assert.False(pair.Client.Error.IsLocal);
        Assert.Equal(0, pair.ServerEndpoint.ConnectionCount);
    }

    [Fact]
    public void ExpiredRetryToken_IsRefused()
    {
        using var pair = new Pair(seed: 25, configureServerEndpoint: o =>
        {
            o.RequireRetry = true;
            o.RetryTokenLifetime = TimeSpan.FromMilliseconds(5);
        });
        pair.ToServer.Delay = TimeSpan.FromMilliseconds(10);
        pair.Connect();
        pair.Drive(() => pair.Client.Error is not null, TimeSpan.FromSeconds(5), "The client learning of the refusal");

        Assert.Equal(TransportErrorCode.INVALID_TOKEN, pair.Client.Error!.TransportErrorCode);
    }
}
