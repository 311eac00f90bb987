using System.Buffers.Binary;
using System.Net;
using AwgProxy.AmneziaWG;
using AwgProxy.AmneziaWG.Device;
using AwgProxy.Obfuscation.Tests.Support;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Obfuscation.Tests;

/// <summary>
/// Under one deterministic random stream and a fixed clock, the envelope's bytes are exactly what the
/// amneziawg-go port produces: Send.SendHandshakeInitiation for a ClientHello burst, the padding step
/// (Send.Pad) for every other class, each behind a header drawn with MagicHeader.Generate first.
/// </summary>
public class AwgEnvelopeDeterminismTests
{
    private static readonly IPEndPoint s_peer = new(IPAddress.Loopback, 443);

    [Fact]
    public async Task ClientDatagrams_EqualThePortsOutput_ByteForByte()
    {
        var profile = Profiles.Realistic();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_718_000_000));
        var wire = new RecordingPath();
        await using var client = new AwgEnvelopePath(wire, AwgEnvelopeRole.Client, profile, new Sha256CounterRandom("client"), time);
        byte[] initial = QuicSamples.Initial(), retransmitted = QuicSamples.Initial(seed: 7), handshake = QuicSamples.Handshake(), oneRtt = QuicSamples.Short();

        await PathIo.SendAsync(client, s_peer, initial, DatagramFlags.ClientHello);
        await PathIo.SendAsync(client, s_peer, [new(handshake), new(oneRtt)]);
        time.Advance(TimeSpan.FromSeconds(3));
        await PathIo.SendAsync(client, s_peer, retransmitted, DatagramFlags.ClientHello);

        var reference = new Sha256CounterRandom("client");
        var device = profile.CreateDeviceState();
        var expected = new List<byte[]>();
        expected.AddRange(Initiation(device, initial, reference, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_718_000_000)), datagramsSent: 0));
        expected.Add(Padded(device.Headers.Transport, device.Paddings.Transport, handshake, reference));
        expected.Add(Padded(device.Headers.Transport, device.Paddings.Transport, oneRtt, reference));
        expected.AddRange(Initiation(device, retransmitted, reference, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_718_000_003)), datagramsSent: 7 + 2));

        Assert.Equal(2 * (2 + 4 + 1) + 2, expected.Count);
        Assert.Equal(expected.Select(Convert.ToHexStringLower), wire.Sent.Select(Convert.ToHexStringLower));
    }

    [Fact]
    public async Task ServerDatagrams_EqualThePortsPaddingStep_ByteForByte()
    {
        var profile = Profiles.Realistic();
        var wire = new RecordingPath();
        await using var server = new AwgEnvelopePath(wire, AwgEnvelopeRole.Server, profile, new Sha256CounterRandom("server"), TimeProvider.System);
        byte[][] datagrams = [QuicSamples.Initial(), QuicSamples.Handshake(), QuicSamples.Retry(), QuicSamples.Short()];

        await PathIo.SendAsync(server, s_peer, [.. datagrams.Select(d => new Outgoing(d))]);

        var reference = new Sha256CounterRandom("server");
        var device = profile.CreateDeviceState();
        byte[][] expected =
        [
            Padded(device.Headers.Response, device.Paddings.Response, datagrams[0], reference),
            Padded(device.Headers.Response, device.Paddings.Response, datagrams[1], reference),
            Padded(device.Headers.Cookie, device.Paddings.Cookie, datagrams[2], reference),
            Padded(device.Headers.Transport, device.Paddings.Transport, datagrams[3], reference),
        ];
        Assert.Equal(expected.Select(Convert.ToHexStringLower), wire.Sent.Select(Convert.ToHexStringLower));
    }

    /// <summary>
    /// Upstream's order for an initiation: the message (and so its header) is created first, then
    /// SendHandshakeInitiation draws the I-packets, the junk and the S1 padding.
    /// </summary>
    private static IReadOnlyList<byte[]> Initiation(DeviceState device, byte[] quic, IRandomSource random, TimeProvider time, uint datagramsSent)
    {
        var message = Message(device.Headers.Init.Generate(random), quic);
        return Send.SendHandshakeInitiation(device, message, new ObfContext(random, time, datagramsSent));
    }

    private static byte[] Padded(MagicHeader header, long padding, byte[] quic, IRandomSource random) =>
        Send.Pad(padding, Message(header.Generate(random), quic), random);

    private static byte[] Message(uint header, byte[] quic)
    {
        var message = new byte[4 + quic.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, header);
        quic.CopyTo(message, 4);
        return message;
    }
}
