using System.Net;
using System.Security.Cryptography;
using AwgProxy.AmneziaWG;
using AwgProxy.Obfuscation;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;

namespace AwgProxy.Quic.Transport.Tests.Envelope;

/// <summary>QUIC through the AWG envelope on both sides, over real UDP sockets.</summary>
public class AwgEnvelopeTransportTests
{
    /// <summary>A realistic profile: every S non-zero, three junk datagrams, H ranges, an I1 chain.</summary>
    private static AwgProfile Profile() => AwgProfile.Create(
        new AwgOptions
        {
            Jc = 3,
            Jmin = 40,
            Jmax = 90,
            S1 = 29,
            S2 = 41,
            S3 = 17,
            S4 = 13,
            H1 = "471800000-471899999",
            H2 = "1850000000-1850099999",
            H3 = "2700000000-2700000100",
            // Narrow enough that random junk practically never carries a valid class-4 header (with 10^8 values it
            // did in about 1 % of the runs, and the server then left one junk datagram to QUIC instead of dropping it).
            H4 = "3900000000-3900099999",
            I1 = "<b 0xc000000001><r 24><t><c>",
        },
        1452);

    [Fact]
    public async Task HandshakeAndTenMebibytes_ThroughTheEnvelope_HashMatches()
    {
        AwgProfile profile = Profile();
        AwgEnvelopePath? clientEnvelope = null;
        AwgEnvelopePath? serverEnvelope = null;
        QuicListenerOptions listenerOptions = TestPeers.Listener(
            new IPEndPoint(IPAddress.Loopback, 0),
            endPoint => serverEnvelope = new AwgEnvelopePath(UdpDatagramPath.Bind(endPoint), AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System));
        listenerOptions.SendStatelessReset = false;
        listenerOptions.SendVersionNegotiation = false;

        await using ConnectedPair pair = await ConnectedPair.CreateAsync(
            listenerOptions,
            endPoint => clientEnvelope = new AwgEnvelopePath(UdpDatagramPath.Bind(endPoint), AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System),
            configureClient: null);

        // The driver sized QUIC datagrams for the envelope and flagged the ClientHello.
        Assert.True(clientEnvelope!.JunkSent >= 3);
        Assert.True(clientEnvelope.IPacketsSent >= 1);
        Assert.True(pair.Client.GetStats().MaxDatagramSize <= clientEnvelope.MaxDatagramSize);

        byte[] data = Payload.Create(10 << 20, seed: 5);
        Task serverSide = Task.Run(async () =>
        {
            await using QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
            (byte[] hash, long length) = await Payload.ReadToEndHashAsync(stream);
            await stream.WriteAsync(hash, completeWrites: true);
            Assert.Equal(data.Length, length);
        });

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await Payload.WriteAllAsync(client, data).WaitAsync(TestPeers.Bound);
        byte[] serverHash = await Payload.ReadToEndAsync(client).WaitAsync(TestPeers.Bound);
        await serverSide.WaitAsync(TestPeers.Bound);

        Assert.Equal(SHA256.HashData(data), serverHash);
        // The server's envelope drops exactly the junk and I-packets (they are not QUIC); nothing else is lost.
        Assert.Equal(clientEnvelope.JunkSent + clientEnvelope.IPacketsSent, serverEnvelope!.DroppedTotal);
        Assert.Equal(0, clientEnvelope.DroppedTotal);
    }

    [Fact]
    public async Task RequireRetry_ThroughTheEnvelope_TheClientHelloBurstRepeatsAfterTheRetry()
    {
        AwgProfile profile = Profile();
        AwgEnvelopePath? clientEnvelope = null;
        QuicListenerOptions listenerOptions = TestPeers.Listener(
            new IPEndPoint(IPAddress.Loopback, 0),
            endPoint => new AwgEnvelopePath(UdpDatagramPath.Bind(endPoint), AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System));
        listenerOptions.RequireRetry = true;
        listenerOptions.SendStatelessReset = false;
        listenerOptions.SendVersionNegotiation = false;

        await using ConnectedPair pair = await ConnectedPair.CreateAsync(
            listenerOptions,
            endPoint => clientEnvelope = new AwgEnvelopePath(UdpDatagramPath.Bind(endPoint), AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System),
            configureClient: null);

        // One burst before the first ClientHello and one before the ClientHello that answers the Retry.
        Assert.True(clientEnvelope!.JunkSent >= 6, $"junk sent: {clientEnvelope.JunkSent}");
        Assert.True(clientEnvelope.IPacketsSent >= 2, $"I-packets sent: {clientEnvelope.IPacketsSent}");
        await using QuicStream stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await stream.WriteAsync("after retry"u8.ToArray(), completeWrites: true);
        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal("after retry"u8.ToArray(), await Payload.ReadToEndAsync(server).WaitAsync(TestPeers.Bound));
    }

    [Fact]
    public async Task ClientRebind_ThroughTheEnvelope_NewSocketNewEnvelope_TheStreamCarriesOn()
    {
        AwgProfile profile = Profile();
        var clientEnvelopes = new List<AwgEnvelopePath>();
        AwgEnvelopePath? serverEnvelope = null;
        QuicListenerOptions listenerOptions = TestPeers.Listener(
            new IPEndPoint(IPAddress.Loopback, 0),
            endPoint => serverEnvelope = new AwgEnvelopePath(UdpDatagramPath.Bind(endPoint), AwgEnvelopeRole.Server, profile, SystemRandomSource.Instance, TimeProvider.System));
        listenerOptions.SendStatelessReset = false;
        listenerOptions.SendVersionNegotiation = false;

        await using ConnectedPair pair = await ConnectedPair.CreateAsync(
            listenerOptions,
            endPoint =>
            {
                var envelope = new AwgEnvelopePath(UdpDatagramPath.Bind(endPoint), AwgEnvelopeRole.Client, profile, SystemRandomSource.Instance, TimeProvider.System);
                lock (clientEnvelopes) clientEnvelopes.Add(envelope);
                return envelope;
            },
            configureClient: null);

        byte[] first = Payload.Create(1 << 20, seed: 7);
        byte[] second = Payload.Create(1 << 20, seed: 8);
        Task<(byte[] Hash, long Length)> serverSide = Task.Run(async () =>
        {
            await using QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
            return await Payload.ReadToEndHashAsync(stream);
        });

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await Payload.WriteAllAsync(client, first, complete: false).WaitAsync(TestPeers.Bound);
        EndPoint before = pair.Client.LocalEndPoint;

        // Active migration to a new socket, wrapped in a new envelope by the same factory.
        await pair.Client.RebindAsync().AsTask().WaitAsync(TestPeers.Bound);
        await Payload.WriteAllAsync(client, second).WaitAsync(TestPeers.Bound);
        (byte[] hash, long length) = await serverSide.WaitAsync(TestPeers.Bound);

        Assert.Equal(first.Length + second.Length, length);
        Assert.Equal(SHA256.HashData([.. first, .. second]), hash);
        Assert.NotEqual(before, pair.Client.LocalEndPoint);
        lock (clientEnvelopes)
        {
            Assert.Equal(2, clientEnvelopes.Count);
            // The new envelope carried QUIC (no junk: no ClientHello on a migration); the server dropped only junk and
            // I-packets of the first one.
            Assert.True(clientEnvelopes[1].DatagramsSent > 0);
            Assert.Equal(0, clientEnvelopes[1].JunkSent);
            Assert.Equal(clientEnvelopes[0].JunkSent + clientEnvelopes[0].IPacketsSent, serverEnvelope!.DroppedTotal);
        }
    }
}
