using System.Buffers.Binary;
using System.Net;
using AwgProxy.AmneziaWG;
using AwgProxy.Obfuscation.Tests.Support;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Obfuscation.Tests;

/// <summary>
/// Real UDP sockets on 127.0.0.1: client envelope → wire observer → server envelope and back. The observer
/// sees exactly what a DPI box on the path would.
/// </summary>
public class AwgEnvelopeWireTests
{
    private const uint Now = 1_750_000_000;

    [Fact]
    public async Task OnTheWire_ClientHelloIsPrecededByIPacketsAndJunk_AndEveryDatagramIsInItsClass()
    {
        var profile = Profiles.Realistic();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now));
        await using var client = Envelope(AwgEnvelopeRole.Client, profile, time);
        await using var server = Envelope(AwgEnvelopeRole.Server, profile, time);
        using var observer = new WireObserver();
        byte[][] fromClient = [QuicSamples.Initial(), QuicSamples.Handshake(), QuicSamples.Short()];
        byte[][] fromServer = [QuicSamples.Initial(seed: 8), QuicSamples.Handshake(seed: 8), QuicSamples.Retry(seed: 8), QuicSamples.Short(seed: 8)];

        await PathIo.SendAsync(client, observer.EndPoint, [new(fromClient[0], DatagramFlags.ClientHello), new(fromClient[1]), new(fromClient[2])]);
        var upstream = observer.Capture(2 + 4 + 3);
        observer.Send(upstream, server.LocalEndPoint);
        var atServer = await PathIo.ReceiveAsync(server, 3);

        await PathIo.SendAsync(server, atServer[0].From, [.. fromServer.Select(d => new Outgoing(d))]);
        var downstream = observer.Capture(4);
        observer.Send(downstream, client.LocalEndPoint);
        var atClient = await PathIo.ReceiveAsync(client, 4);

        // I1 = <b 0xc200000001><r 16><t><c>, I2 = <b 0x5a5a><rc 8><rd 4><c>; <c> counts 0, 1.
        AssertIPackets(upstream, firstCounter: 0);
        Assert.All(upstream.Skip(2).Take(4), junk => Assert.InRange(junk.Length, 40, 70));
        Assert.Equal(37 + 4 + 1200, upstream[6].Length);
        AssertInClass(profile, AwgMessageClass.Initiation, upstream[6], fromClient[0]);
        AssertInClass(profile, AwgMessageClass.Transport, upstream[7], fromClient[1]);
        AssertInClass(profile, AwgMessageClass.Transport, upstream[8], fromClient[2]);
        AssertInClass(profile, AwgMessageClass.Response, downstream[0], fromServer[0]);
        AssertInClass(profile, AwgMessageClass.Response, downstream[1], fromServer[1]);
        AssertInClass(profile, AwgMessageClass.Cookie, downstream[2], fromServer[2]);
        AssertInClass(profile, AwgMessageClass.Transport, downstream[3], fromServer[3]);

        // Nothing the envelope builds looks like QUIC. I1 does, on purpose: it is the operator's
        // signature packet, sent as configured (here imitating the start of a QUIC Initial).
        Assert.True(QuicSamples.LooksLikeQuicV1LongHeader(upstream[0]));
        Assert.All(upstream.Skip(1).Concat(downstream), d => Assert.False(QuicSamples.LooksLikeQuicV1LongHeader(d)));

        Assert.Equal(fromClient, atServer.Select(r => r.Payload));
        Assert.Equal(fromServer, atClient.Select(r => r.Payload));
        Assert.Equal(2 + 4, server.DroppedTotal);

        // A retransmitted ClientHello repeats the burst; <c> goes on from the 9 datagrams sent so far.
        time.Advance(TimeSpan.FromSeconds(1));
        await PathIo.SendAsync(client, observer.EndPoint, fromClient[0], DatagramFlags.ClientHello);
        var retry = observer.Capture(2 + 4 + 1);
        AssertIPackets(retry, firstCounter: 9, unixTime: Now + 1);
        Assert.All(retry.Skip(2).Take(4), junk => Assert.InRange(junk.Length, 40, 70));
        AssertInClass(profile, AwgMessageClass.Initiation, retry[6], fromClient[0]);
        Assert.All(retry.Skip(1), d => Assert.False(QuicSamples.LooksLikeQuicV1LongHeader(d)));
    }

    [Fact]
    public async Task DatagramsFromStrangers_GetNoAnswerAtAll()
    {
        var profile = Profiles.Realistic();
        await using var client = Envelope(AwgEnvelopeRole.Client, profile, TimeProvider.System);
        await using var server = Envelope(AwgEnvelopeRole.Server, profile, TimeProvider.System);
        using var prober = new WireObserver();
        using var stop = new CancellationTokenSource();
        var echo = EchoAsync(server, stop.Token);

        // A burst captured from another client, replayed by the prober, plus plain QUIC and random bytes.
        var replayed = await AwgEnvelopePathTests.CaptureClientHelloBurstAsync(profile);
        var random = new Random(99);
        var garbage = Enumerable.Range(0, 50).Select(_ =>
        {
            var bytes = new byte[random.Next(0, 1400)];
            random.NextBytes(bytes);
            return bytes;
        });
        List<byte[]> probes = [QuicSamples.Initial(), QuicSamples.Short(), .. replayed.Take(6), .. garbage];
        prober.Send(probes, server.LocalEndPoint);

        // The echo of a real client's datagram comes back only after every probe ahead of it was handled.
        await PathIo.SendAsync(client, server.LocalEndPoint, QuicSamples.Short(seed: 77));
        var echoed = await PathIo.ReceiveAsync(client, 1);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => echo);

        Assert.Equal(QuicSamples.Short(seed: 77), echoed[0].Payload);
        Assert.Equal(probes.Count, server.DroppedTotal);
        Assert.Equal(0, prober.Available);
    }

    private static AwgEnvelopePath Envelope(AwgEnvelopeRole role, AwgProfile profile, TimeProvider time) =>
        new(UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0)), role, profile, SystemRandomSource.Instance, time);

    /// <summary>What a QUIC endpoint would do at worst: answer every datagram it is handed, to its source.</summary>
    private static async Task EchoAsync(AwgEnvelopePath path, CancellationToken cancellationToken)
    {
        var batch = new DatagramBatch(16, PathIo.SlotSize);
        while (true)
        {
            var count = await path.ReceiveBatchAsync(batch, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                batch.SetFlags(i, DatagramFlags.None);
            }

            await path.SendBatchAsync(batch, count, cancellationToken);
        }
    }

    private static void AssertIPackets(List<byte[]> burst, uint firstCounter, uint unixTime = Now)
    {
        var i1 = burst[0];
        Assert.Equal(5 + 16 + 4 + 4, i1.Length);
        Assert.Equal("c200000001", Convert.ToHexStringLower(i1.AsSpan(0, 5)));
        Assert.Equal(unixTime, BinaryPrimitives.ReadUInt32BigEndian(i1.AsSpan(21)));
        Assert.Equal(firstCounter, BinaryPrimitives.ReadUInt32BigEndian(i1.AsSpan(25)));

        var i2 = burst[1];
        Assert.Equal(2 + 8 + 4 + 4, i2.Length);
        Assert.Equal("5a5a", Convert.ToHexStringLower(i2.AsSpan(0, 2)));
        Assert.All(i2.AsSpan(2, 8).ToArray(), b => Assert.True(char.IsAsciiLetter((char)b)));
        Assert.All(i2.AsSpan(10, 4).ToArray(), b => Assert.True(char.IsAsciiDigit((char)b)));
        Assert.Equal(firstCounter + 1, BinaryPrimitives.ReadUInt32BigEndian(i2.AsSpan(14)));
    }

    /// <summary>[S_k bytes][header in H_k][the QUIC datagram], nothing more.</summary>
    private static void AssertInClass(AwgProfile profile, AwgMessageClass messageClass, byte[] wire, byte[] quic)
    {
        var padding = profile.Padding(messageClass);
        Assert.Equal(padding + 4 + quic.Length, wire.Length);
        Assert.True(profile.Header(messageClass).Validate(BinaryPrimitives.ReadUInt32LittleEndian(wire.AsSpan(padding))));
        Assert.Equal(quic, wire[(padding + 4)..]);
    }
}
