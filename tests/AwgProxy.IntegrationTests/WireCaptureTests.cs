using System.Buffers.Binary;
using System.Net;
using AwgProxy.Cli.Configuration;
using AwgProxy.IntegrationTests.Support;
using AwgProxy.Obfuscation;

namespace AwgProxy.IntegrationTests;

/// <summary>
/// The datagrams between the real client and server, captured by a UDP relay between them, look the
/// way docs/awg.md and envelope.md say: I-packets, then Jc junk datagrams of Jmin..Jmax bytes, then the
/// initiation with its header at offset S1 inside H1; every later datagram is of a class its sender may
/// send, chosen by its first QUIC packet.
/// </summary>
public class WireCaptureTests
{
    [Fact]
    public async Task ExampleProfile_OnTheWire_IPacketsJunkInitiationThenOnlyEnvelopeDatagrams()
    {
        AwgProfile profile = ExampleProfile();
        await using var relay = new UdpRelay();
        await using var echo = new EchoServer();
        await using ProxyPair pair = await ProxyPair.StartAsync(new ProxyPairOptions
        {
            ClientServerAddress = serverPort =>
            {
                relay.Server = new IPEndPoint(IPAddress.Loopback, serverPort);
                return relay.EndPoint;
            },
        });

        // Some traffic both ways: a 200 KiB echo.
        (byte reply, Socks5Probe probe) = await Socks5Probe.OpenAsync(pair.Socks5, ProxyPair.User, ProxyPair.Password, "127.0.0.1", echo.Port);
        await using (probe)
        {
            Assert.Equal(0, reply);
            byte[] payload = TestData.Bytes(200 * 1024, seed: 3);
            Task<byte[]> reading = probe.ReadToEndAsync();
            await probe.Stream.WriteAsync(payload);
            probe.CompleteWrites();
            Assert.Equal(payload, await reading);
        }

        IReadOnlyList<(bool FromClient, byte[] Datagram)> wire = relay.Captured;
        List<byte[]> fromClient = [.. wire.Where(d => d.FromClient).Select(d => d.Datagram)];
        List<byte[]> fromServer = [.. wire.Where(d => !d.FromClient).Select(d => d.Datagram)];

        // The opening burst: I1 (the example's DNS-query-shaped chain), Jc junk datagrams, the initiation.
        int next = AssertBurst(profile, fromClient, 0);
        byte[] initiation = fromClient[next];
        uint header = BinaryPrimitives.ReadUInt32LittleEndian(initiation.AsSpan(profile.Padding(AwgMessageClass.Initiation)));
        Assert.True(profile.Header(AwgMessageClass.Initiation).Validate(header), $"header {header} at offset S1 is not in H1");
        AssertClass(profile, AwgEnvelopeRole.Client, initiation, AwgMessageClass.Initiation);

        // Everything after it from the client is class 1 or 4, except another burst before a repeated ClientHello.
        int transportFromClient = 0;
        for (int i = next + 1; i < fromClient.Count; i++)
        {
            if (!AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, fromClient[i], out _, out _))
            {
                i = AssertBurst(profile, fromClient, i);
            }

            transportFromClient += AssertClass(profile, AwgEnvelopeRole.Client, fromClient[i], null) == AwgMessageClass.Transport ? 1 : 0;
        }

        // Everything from the server is class 2, 3 or 4; its first datagram answers the initiation (class 2).
        Assert.NotEmpty(fromServer);
        Assert.Equal(AwgMessageClass.Response, AssertClass(profile, AwgEnvelopeRole.Server, fromServer[0], null));
        int transportFromServer = fromServer.Count(d => AssertClass(profile, AwgEnvelopeRole.Server, d, null) == AwgMessageClass.Transport);

        Assert.True(transportFromClient > 10, $"{transportFromClient} transport datagrams from the client");
        Assert.True(transportFromServer > 10, $"{transportFromServer} transport datagrams from the server");
    }

    /// <summary>The AWG profile of docs/examples/client.ini (both examples share S1-S4 and H1-H4).</summary>
    private static AwgProfile ExampleProfile()
    {
        string path = Path.Combine(AwgProxyProcess.RepositoryRoot(), "docs", "examples", "client.ini");
        using ConfigLoadResult result = ConfigLoader.Load(path, ProxyRole.Client, new ConfigLoadOptions { IncludeEnvironment = false });
        return ((ResolvedClientConfig)result.Config!).AwgProfile;
    }

    /// <summary>Checks I1..I5 and Jc junk datagrams from <paramref name="start"/>; returns the index of the datagram after them.</summary>
    private static int AssertBurst(AwgProfile profile, List<byte[]> datagrams, int start)
    {
        int i = start;
        foreach (var ipacket in profile.IPackets.Where(p => p is not null))
        {
            byte[] sent = datagrams[i++];
            Assert.Equal(ipacket!.ObfuscatedLen(0), sent.Length);
            // <r 2> then the static bytes: DNS header (one question), QNAME example.com, type A, class IN.
            Assert.Equal(Convert.FromHexString("01000001000000000000076578616d706c6503636f6d0000010001"), sent[2..]);
        }

        for (int junk = 0; junk < profile.Jc; junk++)
        {
            Assert.InRange(datagrams[i++].Length, profile.Jmin, profile.Jmax);
        }

        AssertClass(profile, AwgEnvelopeRole.Client, datagrams[i], AwgMessageClass.Initiation);
        return i;
    }

    /// <summary>
    /// The datagram matches a class <paramref name="sender"/> may send (header at offset S_k in H_k, plausible
    /// QUIC after it), and that class is the one its first QUIC packet calls for.
    /// </summary>
    private static AwgMessageClass AssertClass(AwgProfile profile, AwgEnvelopeRole sender, byte[] datagram, AwgMessageClass? expected)
    {
        AwgEnvelopeRole receiver = sender == AwgEnvelopeRole.Client ? AwgEnvelopeRole.Server : AwgEnvelopeRole.Client;
        Assert.True(AwgDatagramClassifier.TryMatch(profile, receiver, datagram, out AwgMessageClass matched, out AwgDropReason reason), $"a {datagram.Length}-byte datagram from the {sender} matches no class ({reason})");
        byte[] quic = datagram[(profile.Padding(matched) + 4)..];
        Assert.Equal(AwgDatagramClassifier.ClassifyOutgoing(sender, quic), matched);
        if (expected is { } k)
        {
            Assert.Equal(k, matched);
        }

        return matched;
    }
}
