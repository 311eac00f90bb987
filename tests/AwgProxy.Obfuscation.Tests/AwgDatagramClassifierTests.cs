using System.Buffers.Binary;
using AwgProxy.Obfuscation.Tests.Support;

namespace AwgProxy.Obfuscation.Tests;

public class AwgDatagramClassifierTests
{
    public static TheoryData<string, AwgEnvelopeRole, AwgMessageClass> OutgoingCases => new()
    {
        { "initial", AwgEnvelopeRole.Client, AwgMessageClass.Initiation },
        { "handshake", AwgEnvelopeRole.Client, AwgMessageClass.Transport },
        { "0rtt", AwgEnvelopeRole.Client, AwgMessageClass.Transport },
        { "short", AwgEnvelopeRole.Client, AwgMessageClass.Transport },
        { "empty", AwgEnvelopeRole.Client, AwgMessageClass.Transport },
        { "initial-v2", AwgEnvelopeRole.Client, AwgMessageClass.Transport },
        { "initial", AwgEnvelopeRole.Server, AwgMessageClass.Response },
        { "handshake", AwgEnvelopeRole.Server, AwgMessageClass.Response },
        { "retry", AwgEnvelopeRole.Server, AwgMessageClass.Cookie },
        { "short", AwgEnvelopeRole.Server, AwgMessageClass.Transport },
        { "stateless-reset", AwgEnvelopeRole.Server, AwgMessageClass.Transport },
        { "version-negotiation", AwgEnvelopeRole.Server, AwgMessageClass.Transport },
    };

    [Theory]
    [MemberData(nameof(OutgoingCases))]
    public void ClassifyOutgoing_FollowsRoleAndFirstPacket(string sample, AwgEnvelopeRole sender, AwgMessageClass expected)
    {
        Assert.Equal(expected, AwgDatagramClassifier.ClassifyOutgoing(sender, Sample(sample)));
    }

    public static TheoryData<string, bool, bool, bool, bool> PlausibleCases => new()
    {
        // sample               class 1 class 2 class 3 class 4
        { "initial", true, true, false, false },
        { "handshake", false, true, false, true },
        { "0rtt", false, false, false, true },
        { "retry", false, false, true, false },
        { "short", false, false, false, true },
        { "stateless-reset", false, false, false, true },
        { "short-without-fixed-bit", false, false, false, false },
        { "long-without-fixed-bit", false, false, false, false },
        { "initial-v2", false, false, false, false },
        { "version-negotiation", false, false, false, false },
        { "truncated-long", false, false, false, false },
        { "empty", false, false, false, false },
    };

    [Theory]
    [MemberData(nameof(PlausibleCases))]
    public void IsPlausible_AcceptsOnlyTheFirstPacketsOfEachClass(string sample, bool c1, bool c2, bool c3, bool c4)
    {
        var datagram = Sample(sample);

        Assert.Equal(
            (c1, c2, c3, c4),
            (AwgDatagramClassifier.IsPlausible(AwgMessageClass.Initiation, datagram),
             AwgDatagramClassifier.IsPlausible(AwgMessageClass.Response, datagram),
             AwgDatagramClassifier.IsPlausible(AwgMessageClass.Cookie, datagram),
             AwgDatagramClassifier.IsPlausible(AwgMessageClass.Transport, datagram)));
    }

    [Fact]
    public void ClassesSentBy_AreClient1And4_Server2To4()
    {
        Assert.Equal([AwgMessageClass.Initiation, AwgMessageClass.Transport], AwgDatagramClassifier.ClassesSentBy(AwgEnvelopeRole.Client));
        Assert.Equal([AwgMessageClass.Response, AwgMessageClass.Cookie, AwgMessageClass.Transport], AwgDatagramClassifier.ClassesSentBy(AwgEnvelopeRole.Server));
    }

    [Fact]
    public void TryMatch_ServerAcceptsClass1And4_ButNotServerClasses()
    {
        var profile = Profiles.Realistic();

        Assert.True(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, Wrap(profile, 1, 1020325451, QuicSamples.Initial()), out var c1, out _));
        Assert.True(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, Wrap(profile, 4, 1357999999, QuicSamples.Short()), out var c4, out _));
        Assert.Equal((AwgMessageClass.Initiation, AwgMessageClass.Transport), (c1, c4));

        // A perfectly formed class 2 datagram is a server's: a server never accepts it.
        Assert.False(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, Wrap(profile, 2, 2018045100, QuicSamples.Initial()), out _, out _));
    }

    [Fact]
    public void TryMatch_ClientAcceptsClasses2To4_ButNotClass1()
    {
        var profile = Profiles.Realistic();

        Assert.True(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Client, Wrap(profile, 2, 2018045200, QuicSamples.Handshake()), out var c2, out _));
        Assert.True(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Client, Wrap(profile, 3, 3141592654, QuicSamples.Retry()), out var c3, out _));
        Assert.True(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Client, Wrap(profile, 4, 1357924680, QuicSamples.Short()), out var c4, out _));
        Assert.Equal((AwgMessageClass.Response, AwgMessageClass.Cookie, AwgMessageClass.Transport), (c2, c3, c4));
        Assert.False(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Client, Wrap(profile, 1, 1020325451, QuicSamples.Initial()), out _, out _));
    }

    [Fact]
    public void TryMatch_ReportsTheFurthestCheckReached()
    {
        var profile = Profiles.Realistic(); // server tries S1 = 37 and S4 = 23

        // 27 bytes: too short for both classes (needs more than 41 and 27).
        Assert.False(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, new byte[27], out _, out var tooShort));
        // 28 bytes of zeros: long enough for class 4, whose header (0) is out of H4.
        Assert.False(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, new byte[28], out _, out var outOfRange));
        // H1 value, then a short header: in range for class 1 but not an Initial.
        Assert.False(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, Wrap(profile, 1, 1020325460, QuicSamples.Short()), out _, out var implausible));
        // H4 value, then an Initial: a client never sends an Initial in class 4.
        Assert.False(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, Wrap(profile, 4, 1357924680, QuicSamples.Initial()), out _, out var implausible4));

        Assert.Equal(
            (AwgDropReason.TooShort, AwgDropReason.HeaderOutOfRange, AwgDropReason.ImplausibleFirstByte, AwgDropReason.ImplausibleFirstByte),
            (tooShort, outOfRange, implausible, implausible4));
    }

    [Fact]
    public void TryMatch_NeedsAtLeastOneQuicByteAfterTheHeader()
    {
        var profile = Profiles.Defaults();
        var headerOnly = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(headerOnly, 4);

        Assert.False(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, headerOnly, out _, out var reason));
        Assert.Equal(AwgDropReason.TooShort, reason);
        Assert.True(AwgDatagramClassifier.TryMatch(profile, AwgEnvelopeRole.Server, [.. headerOnly, 0x40], out _, out _));
    }

    [Fact]
    public void TryMatch_OnSeededRandomInput_NeverThrows_AndMatchesOnlyWhatTheRulesAllow()
    {
        var profile = Profiles.Realistic();
        var random = new Random(20240917);
        var matched = 0;
        for (var n = 0; n < 4000; n++)
        {
            var datagram = new byte[random.Next(0, 1500)];
            random.NextBytes(datagram);
            var receiver = n % 2 == 0 ? AwgEnvelopeRole.Server : AwgEnvelopeRole.Client;
            if (n % 4 == 1 && datagram.Length > 64)
            {
                // Put a valid header of a class the peer sends in place, so the first-byte rule decides.
                var k = AwgDatagramClassifier.ClassesSentBy(AwgEnvelopeRole.Server)[random.Next(3)];
                BinaryPrimitives.WriteUInt32LittleEndian(datagram.AsSpan(profile.Padding(k)), profile.Header(k).Start);
            }

            if (!AwgDatagramClassifier.TryMatch(profile, receiver, datagram, out var messageClass, out _))
            {
                continue;
            }

            matched++;
            var padding = profile.Padding(messageClass);
            Assert.Contains(messageClass, AwgDatagramClassifier.ClassesSentBy(receiver == AwgEnvelopeRole.Server ? AwgEnvelopeRole.Client : AwgEnvelopeRole.Server));
            Assert.True(datagram.Length > padding + 4);
            Assert.True(profile.Header(messageClass).Validate(BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(padding))));
            Assert.True(AwgDatagramClassifier.IsPlausible(messageClass, datagram.AsSpan(padding + 4)));
        }

        // Only the planted headers followed by a lucky first byte (a short header for class 4) get through:
        // random bytes land in an H range with probability about 2^-16 here.
        Assert.InRange(matched, 1, 4000 / 4 / 2);
    }

    /// <summary>[S_k zero bytes][header LE][quic]: a hand-made class k datagram.</summary>
    internal static byte[] Wrap(AwgProfile profile, int messageClass, uint header, byte[] quic)
    {
        var padding = profile.Padding((AwgMessageClass)messageClass);
        var datagram = new byte[padding + 4 + quic.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(datagram.AsSpan(padding), header);
        quic.CopyTo(datagram, padding + 4);
        return datagram;
    }

    private static byte[] Sample(string name) => name switch
    {
        "initial" => QuicSamples.Initial(),
        "handshake" => QuicSamples.Handshake(),
        "0rtt" => QuicSamples.ZeroRtt(),
        "retry" => QuicSamples.Retry(),
        "short" => QuicSamples.Short(),
        "empty" => [],
        // RFC 9000 §10.3: a stateless reset looks like a short header: 0b01 then unpredictable bits.
        "stateless-reset" => [0x7F, .. new byte[40]],
        "short-without-fixed-bit" => [0x03, .. new byte[40]],
        "long-without-fixed-bit" => [0x80, 0, 0, 0, 1, .. new byte[40]],
        // QUIC v2 (RFC 9369) and Version Negotiation (version 0) are not v1 long headers.
        "initial-v2" => [0xD0, 0x6B, 0x33, 0x43, 0xCF, .. new byte[40]],
        "version-negotiation" => [0xC0, 0, 0, 0, 0, .. new byte[40]],
        "truncated-long" => [0xC3, 0, 0, 0],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
