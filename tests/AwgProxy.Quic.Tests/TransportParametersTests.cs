using System.Net;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests;

public class TransportParametersTests
{
    // RFC 9001 appendix A.2: the quic_transport_parameters extension data of the client's ClientHello.
    private const string Rfc9001ClientParameters =
        "0408ffffffffffffffff05048000ffff07048000ffff0801100104800075300901100f088394c8f03e51570806048000ffff";

    private static readonly StatelessResetToken Token = new(Convert.FromHexString("00112233445566778899aabbccddeeff"));

    [Fact]
    public void Rfc9001ClientParameters_Decode()
    {
        Assert.True(TransportParameters.TryDecode(Convert.FromHexString(Rfc9001ClientParameters), senderIsServer: false, out var p, out string? error), error);
        Assert.Equal(VarInt.MaxValue, p.InitialMaxData);
        Assert.Equal(65535UL, p.InitialMaxStreamDataBidiLocal);
        Assert.Equal(65535UL, p.InitialMaxStreamDataBidiRemote);
        Assert.Equal(65535UL, p.InitialMaxStreamDataUni);
        Assert.Equal(16UL, p.InitialMaxStreamsBidi);
        Assert.Equal(16UL, p.InitialMaxStreamsUni);
        Assert.Equal(30000UL, p.MaxIdleTimeoutMilliseconds);
        Assert.Equal(TimeSpan.FromSeconds(30), p.MaxIdleTimeout);
        Assert.Equal(new ConnectionId(Convert.FromHexString("8394c8f03e515708")), p.InitialSourceConnectionId);

        // Absent parameters keep their defaults.
        Assert.Equal(65527UL, p.MaxUdpPayloadSize);
        Assert.Equal(3, p.AckDelayExponent);
        Assert.Equal(25UL, p.MaxAckDelayMilliseconds);
        Assert.Equal(2UL, p.ActiveConnectionIdLimit);
        Assert.Null(p.MaxDatagramFrameSize);
        Assert.Null(p.PreferredAddress);
        Assert.False(p.DisableActiveMigration);
    }

    [Fact]
    public void EmptyInput_GivesDefaults_AndDefaultsEncodeToNothing()
    {
        Assert.True(TransportParameters.TryDecode([], senderIsServer: true, out var p, out _));
        Assert.Equal(0, p.GetEncodedLength());
        Assert.Empty(p.ToArray());
        Assert.Equal(TimeSpan.FromMilliseconds(25), p.MaxAckDelay);
    }

    [Fact]
    public void EveryParameter_RoundTrips()
    {
        TransportParameters original = FullServerParameters();
        byte[] encoded = original.ToArray();
        Assert.Equal(encoded.Length, original.GetEncodedLength());
        Assert.True(TransportParameters.TryDecode(encoded, senderIsServer: true, out var decoded, out string? error), error);
        AssertSame(original, decoded);
    }

    [Fact]
    public void Write_ProducesEncodedLengthBytes()
    {
        TransportParameters parameters = FullServerParameters();
        byte[] buffer = new byte[parameters.GetEncodedLength() + 10];
        var writer = new SpanWriter(buffer);
        writer.WriteByte(0xee);
        parameters.Write(ref writer);
        Assert.Equal(parameters.GetEncodedLength() + 1, writer.Position);
    }

    [Theory]
    [InlineData("1b 00")] // 27 = 31 * 0 + 27
    [InlineData("4099 03 010203")] // 153 = 31 * 4 + 29: unknown, not reserved
    [InlineData("80 00 ff 9a 02 abcd")] // an unknown id in a four-byte varint
    [InlineData("40 9b 00")] // 155 = 31 * 5: unknown, not reserved
    public void UnknownAndReservedIds_AreIgnored(string unknownHex)
    {
        byte[] unknown = Convert.FromHexString(unknownHex.Replace(" ", "", StringComparison.Ordinal));
        byte[] data = [.. unknown, .. Convert.FromHexString("0e 01 05".Replace(" ", "", StringComparison.Ordinal))];
        Assert.True(TransportParameters.TryDecode(data, senderIsServer: false, out var p, out string? error), error);
        Assert.Equal(5UL, p.ActiveConnectionIdLimit);
    }

    [Fact]
    public void ManyGreaseIds_AreIgnored()
    {
        var bytes = new List<byte>();
        for (ulong n = 0; n < 50; n++)
        {
            ulong id = (31 * n) + 27;
            Assert.True(TransportParameters.IsReservedId(id));
            byte[] buffer = new byte[16];
            var writer = new SpanWriter(buffer);
            writer.WriteVarInt(id);
            writer.WriteVarInt(2);
            writer.WriteUInt16((ushort)n);
            bytes.AddRange(buffer[..writer.Position]);
        }

        Assert.True(TransportParameters.TryDecode(bytes.ToArray(), senderIsServer: true, out _, out string? error), error);
    }

    [Theory]
    [InlineData("0e 01 05 0e 01 06")]
    [InlineData("0c 00 0c 00")]
    [InlineData("1b 00 1b 01 00")]
    public void DuplicateParameters_AreRejected(string hex)
    {
        Assert.False(Decode(hex, senderIsServer: true, out string? error));
        Assert.Equal("Duplicate transport parameter", error);
    }

    [Theory]
    [InlineData("03 02 44af", "max_udp_payload_size below 1200")] // 1199
    [InlineData("0a 01 15", "ack_delay_exponent above 20")] // 21
    [InlineData("0b 04 80004000", "max_ack_delay of 2^14 or more")] // 16384
    [InlineData("0e 01 01", "active_connection_id_limit below 2")]
    [InlineData("08 08 d000000000000001", "initial_max_streams_bidi above 2^60")]
    [InlineData("09 08 d000000000000001", "initial_max_streams_uni above 2^60")]
    public void OutOfRangeValues_AreRejected(string hex, string reason)
    {
        Assert.False(Decode(hex, senderIsServer: true, out string? error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("03 02 44b0")] // 1200
    [InlineData("0a 01 14")] // 20
    [InlineData("0b 02 7fff")] // 16383
    [InlineData("08 08 d000000000000000")] // 2^60
    public void BoundaryValues_AreAccepted(string hex)
    {
        Assert.True(Decode(hex, senderIsServer: true, out string? error), error);
    }

    [Theory]
    [InlineData("04 00")] // empty integer
    [InlineData("04 02 05 00")] // integer followed by junk
    [InlineData("04 01 40")] // truncated varint inside the value
    [InlineData("0c 01 00")] // disable_active_migration with content
    [InlineData("02 0f 00112233445566778899aabbccddee")] // 15-byte token
    [InlineData("0f 15 000102030405060708090a0b0c0d0e0f1011121314")] // 21-byte connection ID
    [InlineData("10 15 000102030405060708090a0b0c0d0e0f1011121314")]
    [InlineData("00 15 000102030405060708090a0b0c0d0e0f1011121314")]
    [InlineData("0d 04 7f000001")] // truncated preferred_address
    [InlineData("4020 00")] // max_datagram_frame_size (two-byte id) with an empty value
    public void MalformedValues_AreRejected(string hex)
    {
        Assert.False(Decode(hex, senderIsServer: true, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void PreferredAddressWithEmptyConnectionId_IsRejected()
    {
        byte[] value = new byte[PreferredAddress.GetEncodedLength(0)];
        byte[] data = [0x0d, (byte)value.Length, .. value];
        Assert.False(TransportParameters.TryDecode(data, senderIsServer: true, out _, out string? error));
        Assert.Equal("preferred_address connection ID not 1 to 20 bytes", error);
    }

    [Theory]
    [InlineData("00 04 01020304")] // original_destination_connection_id
    [InlineData("02 10 00112233445566778899aabbccddeeff")] // stateless_reset_token
    [InlineData("10 04 01020304")] // retry_source_connection_id
    public void ServerOnlyParameters_FromAClient_AreRejected(string hex)
    {
        Assert.False(Decode(hex, senderIsServer: false, out string? error));
        Assert.Equal("Server-only transport parameter sent by a client", error);
        Assert.True(Decode(hex, senderIsServer: true, out _));
    }

    [Fact]
    public void PreferredAddressFromAClient_IsRejected()
    {
        var server = new TransportParameters { PreferredAddress = FullServerParameters().PreferredAddress };
        byte[] encoded = server.ToArray();
        Assert.False(TransportParameters.TryDecode(encoded, senderIsServer: false, out _, out _));
        Assert.True(TransportParameters.TryDecode(encoded, senderIsServer: true, out _, out _));
    }

    [Fact]
    public void EveryTruncation_FailsUnlessItEndsOnAParameterBoundary()
    {
        byte[] encoded = FullServerParameters().ToArray();
        var boundaries = new HashSet<int> { 0 };
        var reader = new SpanReader(encoded);
        while (!reader.IsEmpty)
        {
            Assert.True(reader.TryReadVarInt(out _));
            Assert.True(reader.TryReadVarIntLengthPrefixed(out _));
            boundaries.Add(reader.Position);
        }

        for (int length = 0; length < encoded.Length; length++)
        {
            bool ok = TransportParameters.TryDecode(encoded.AsSpan(0, length), senderIsServer: true, out _, out _);
            Assert.Equal(boundaries.Contains(length), ok);
        }
    }

    [Fact]
    public void MutationFuzz_NeverThrows()
    {
        byte[][] corpus = [FullServerParameters().ToArray(), Convert.FromHexString(Rfc9001ClientParameters)];
        var random = new Random(18);
        int accepted = 0, rejected = 0;
        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] data = corpus[random.Next(corpus.Length)].ToArray();
            for (int i = random.Next(1, 4); i > 0; i--)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }

            int length = random.Next(4) == 0 ? random.Next(data.Length + 1) : data.Length;
            if (TransportParameters.TryDecode(data.AsSpan(0, length), random.Next(2) == 0, out var p, out string? error))
            {
                accepted++;
                Assert.Null(error);

                // Whatever was accepted is valid, so it encodes again.
                Assert.Equal(p.GetEncodedLength(), p.ToArray().Length);
            }
            else
            {
                rejected++;
                Assert.False(string.IsNullOrEmpty(error));
            }
        }

        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }

    [Fact]
    public void InvalidValues_ThrowOnWrite()
    {
        Assert.Throws<InvalidOperationException>(() => new TransportParameters { AckDelayExponent = 21 }.ToArray());
        Assert.Throws<InvalidOperationException>(() => new TransportParameters { MaxUdpPayloadSize = 1000 }.ToArray());
        Assert.Throws<InvalidOperationException>(() => new TransportParameters { ActiveConnectionIdLimit = 1 }.ToArray());
        Assert.Throws<InvalidOperationException>(() => new TransportParameters { MaxAckDelayMilliseconds = 1 << 14 }.ToArray());
        Assert.Throws<InvalidOperationException>(() => new TransportParameters { InitialMaxStreamsUni = (1UL << 60) + 1 }.ToArray());
    }

    private static bool Decode(string hex, bool senderIsServer, out string? error) =>
        TransportParameters.TryDecode(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), senderIsServer, out _, out error);

    private static TransportParameters FullServerParameters() => new()
    {
        OriginalDestinationConnectionId = new ConnectionId([1, 2, 3, 4, 5, 6, 7, 8]),
        MaxIdleTimeoutMilliseconds = 30_000,
        StatelessResetToken = Token,
        MaxUdpPayloadSize = 1452,
        InitialMaxData = 1UL << 24,
        InitialMaxStreamDataBidiLocal = 1UL << 20,
        InitialMaxStreamDataBidiRemote = (1UL << 20) + 1,
        InitialMaxStreamDataUni = 1UL << 18,
        InitialMaxStreamsBidi = 100,
        InitialMaxStreamsUni = 1UL << 60,
        AckDelayExponent = 10,
        MaxAckDelayMilliseconds = 16383,
        DisableActiveMigration = true,
        PreferredAddress = new PreferredAddress(
            new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4433),
            new IPEndPoint(IPAddress.Parse("2001:db8::1"), 4434),
            new ConnectionId([9, 9, 9, 9]),
            new StatelessResetToken(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray())),
        ActiveConnectionIdLimit = 8,
        InitialSourceConnectionId = new ConnectionId([0xaa, 0xbb]),
        RetrySourceConnectionId = ConnectionId.Empty,
        MaxDatagramFrameSize = 65535,
    };

    private static void AssertSame(TransportParameters expected, TransportParameters actual)
    {
        Assert.Equal(expected.OriginalDestinationConnectionId, actual.OriginalDestinationConnectionId);
        Assert.Equal(expected.MaxIdleTimeoutMilliseconds, actual.MaxIdleTimeoutMilliseconds);
        Assert.Equal(expected.StatelessResetToken, actual.StatelessResetToken);
        Assert.Equal(expected.MaxUdpPayloadSize, actual.MaxUdpPayloadSize);
        Assert.Equal(expected.InitialMaxData, actual.InitialMaxData);
        Assert.Equal(expected.InitialMaxStreamDataBidiLocal, actual.InitialMaxStreamDataBidiLocal);
        Assert.Equal(expected.InitialMaxStreamDataBidiRemote, actual.InitialMaxStreamDataBidiRemote);
        Assert.Equal(expected.InitialMaxStreamDataUni, actual.InitialMaxStreamDataUni);
        Assert.Equal(expected.InitialMaxStreamsBidi, actual.InitialMaxStreamsBidi);
        Assert.Equal(expected.InitialMaxStreamsUni, actual.InitialMaxStreamsUni);
        Assert.Equal(expected.AckDelayExponent, actual.AckDelayExponent);
        Assert.Equal(expected.MaxAckDelayMilliseconds, actual.MaxAckDelayMilliseconds);
        Assert.Equal(expected.DisableActiveMigration, actual.DisableActiveMigration);
        Assert.Equal(expected.PreferredAddress, actual.PreferredAddress);
        Assert.Equal(expected.ActiveConnectionIdLimit, actual.ActiveConnectionIdLimit);
        Assert.Equal(expected.InitialSourceConnectionId, actual.InitialSourceConnectionId);
        Assert.Equal(expected.RetrySourceConnectionId, actual.RetrySourceConnectionId);
        Assert.Equal(expected.MaxDatagramFrameSize, actual.MaxDatagramFrameSize);
    }
}
