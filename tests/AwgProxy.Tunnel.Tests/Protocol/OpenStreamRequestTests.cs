using System.Net;
using AwgProxy.Tunnel.Protocol;

namespace AwgProxy.Tunnel.Tests.Protocol;

public class OpenStreamRequestTests
{
    public static TheoryData<string, int, string> Examples => new()
    {
        // kind, port, address or host, expected hex
        { "ipv4", 443, "01 01 01 5db8d822 01bb" },
        { "ipv6", 80, "01 01 04 20010db8000000000000000000000001 0050" },
        { "name", 8080, "01 01 03 0b 6578616d706c652e636f6d 1f90" },
    };

    private static TunnelDestination Destination(string kind, int port) => kind switch
    {
        "ipv4" => TunnelDestination.FromAddress(IPAddress.Parse("93.184.216.34"), port),
        "ipv6" => TunnelDestination.FromAddress(IPAddress.Parse("2001:db8::1"), port),
        _ => TunnelDestination.FromHost("example.com", port),
    };

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Encode_WritesTheDocumentedBytes(string kind, int port, string expectedHex)
    {
        var request = new OpenStreamRequest(TunnelCommand.Connect, Destination(kind, port));
        byte[] buffer = new byte[OpenStreamRequest.MaxLength];

        int written = request.Encode(buffer);

        Assert.Equal(request.Length, written);
        Assert.Equal(Hex(expectedHex), buffer[..written]);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Decode_RoundTripsAndConsumesExactlyTheRequest(string kind, int port, string hex)
    {
        byte[] wire = [.. Hex(hex), 0xAA, 0xBB]; // payload right behind the request

        DecodeStatus status = OpenStreamRequest.TryDecode(wire, out OpenStreamRequest request, out int consumed);

        Assert.Equal(DecodeStatus.Complete, status);
        Assert.Equal(wire.Length - 2, consumed);
        Assert.Equal(TunnelCommand.Connect, request.Command);
        Assert.Equal(Destination(kind, port), request.Destination);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryTruncatedPrefix_NeedsMoreDataAndConsumesNothing(string kind, int port, string hex)
    {
        _ = kind;
        _ = port;
        byte[] wire = Hex(hex);
        for (int length = 0; length < wire.Length; length++)
        {
            DecodeStatus status = OpenStreamRequest.TryDecode(wire.AsSpan(0, length), out _, out int consumed);
            Assert.True(status == DecodeStatus.NeedMoreData, $"prefix of {length} bytes gave {status}");
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EverySplitPoint_DecodesOnceTheSecondPartArrives(string kind, int port, string hex)
    {
        byte[] wire = Hex(hex);
        for (int split = 0; split <= wire.Length; split++)
        {
            // What a reader sees: the first part, then the first part and the rest appended.
            byte[] buffer = new byte[wire.Length];
            wire.AsSpan(0, split).CopyTo(buffer);
            DecodeStatus first = OpenStreamRequest.TryDecode(buffer.AsSpan(0, split), out _, out _);
            wire.AsSpan(split).CopyTo(buffer.AsSpan(split));
            DecodeStatus second = OpenStreamRequest.TryDecode(buffer, out OpenStreamRequest request, out int consumed);

            Assert.Equal(split == wire.Length ? DecodeStatus.Complete : DecodeStatus.NeedMoreData, first);
            Assert.Equal(DecodeStatus.Complete, second);
            Assert.Equal(wire.Length, consumed);
            Assert.Equal(Destination(kind, port), request.Destination);
        }
    }

    [Fact]
    public void LongestName_FitsMaxLength()
    {
        var request = new OpenStreamRequest(TunnelCommand.Connect, TunnelDestination.FromHost(new string('a', 255), 1));
        byte[] buffer = new byte[OpenStreamRequest.MaxLength];

        int written = request.Encode(buffer);

        Assert.Equal(OpenStreamRequest.MaxLength, written);
        Assert.Equal(DecodeStatus.Complete, OpenStreamRequest.TryDecode(buffer, out OpenStreamRequest decoded, out _));
        Assert.Equal(new string('a', 255), decoded.Destination.Host);
    }

    [Fact]
    public void Encode_IntoTooSmallBuffer_Throws()
    {
        var request = new OpenStreamRequest(TunnelCommand.Connect, TunnelDestination.FromHost("example.com", 80));
        byte[] buffer = new byte[request.Length - 1];

        Assert.Throws<InvalidOperationException>(() => request.Encode(buffer));
    }

    [Theory]
    [InlineData("01 02 01 01020304 0050", TunnelCommand.Bind)]
    [InlineData("01 03 01 01020304 0050", TunnelCommand.UdpAssociate)]
    [InlineData("01 7f 01 01020304 0050", (TunnelCommand)0x7f)]
    public void OtherCommands_DecodeSoTheServerCanAnswerCommandNotSupported(string hex, TunnelCommand expected)
    {
        Assert.Equal(DecodeStatus.Complete, OpenStreamRequest.TryDecode(Hex(hex), out OpenStreamRequest request, out _));
        Assert.Equal(expected, request.Command);
    }

    [Theory]
    [InlineData("02 01 01 01020304 0050")]           // VER 2
    [InlineData("00")]                               // VER 0, alone
    [InlineData("01 00 01 01020304 0050")]           // CMD 0
    [InlineData("01 01 00 01020304 0050")]           // ATYP 0
    [InlineData("01 01 02 01020304 0050")]           // ATYP 2
    [InlineData("01 01 05")]                         // ATYP 5, nothing after it
    [InlineData("01 01 ff 01020304 0050")]           // ATYP 255
    [InlineData("01 01 03 00 0050")]                 // empty name
    [InlineData("01 01 03 03 612062 0050")]          // space in the name
    [InlineData("01 01 03 03 610062 0050")]          // NUL in the name
    [InlineData("01 01 03 03 617f62 0050")]          // DEL in the name
    [InlineData("01 01 03 03 61c362 0050")]          // non-ASCII in the name
    [InlineData("01 01 03 10 20")]                   // bad first byte of a name not yet complete
    [InlineData("01 01 01 01020304 0000")]           // port 0, IPv4
    [InlineData("01 01 04 00000000000000000000000000000001 0000")] // port 0, IPv6
    [InlineData("01 01 03 01 61 0000")]              // port 0, name
    public void InvalidValues_AreInvalidAndConsumeNothing(string hex)
    {
        DecodeStatus status = OpenStreamRequest.TryDecode(Hex(hex), out _, out int consumed);

        Assert.Equal(DecodeStatus.Invalid, status);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void SeededMutationFuzz_NeverThrows_AndWhateverDecodesReencodesToTheSameBytes()
    {
        var random = new Random(20240611);
        byte[][] seeds =
        [
            .. Examples.Select(e => Hex((string)e[2])),
            Hex("01 01 03 ff" + new string('7', 510) + "ffff"),
        ];
        byte[] reencoded = new byte[OpenStreamRequest.MaxLength];
        int completes = 0;

        for (int i = 0; i < 50_000; i++)
        {
            byte[] input = Mutate(seeds[random.Next(seeds.Length)], random);

            DecodeStatus status = OpenStreamRequest.TryDecode(input, out OpenStreamRequest request, out int consumed);

            if (status == DecodeStatus.Complete)
            {
                completes++;
                int written = request.Encode(reencoded);
                Assert.Equal(consumed, written);
                Assert.Equal(input.AsSpan(0, consumed).ToArray(), reencoded[..written]);
            }
            else
            {
                Assert.Equal(0, consumed);
            }
        }

        // The mutator keeps many inputs valid, so the round-trip check above really ran.
        Assert.True(completes > 1000, $"only {completes} inputs decoded");
    }

    [Fact]
    public void SeededRandomBytes_NeverThrow()
    {
        var random = new Random(7);
        for (int i = 0; i < 50_000; i++)
        {
            byte[] input = new byte[random.Next(0, 300)];
            random.NextBytes(input);
            if (input.Length > 0 && random.Next(2) == 0)
            {
                input[0] = TunnelProtocol.Version; // get past VER half the time
            }

            DecodeStatus status = OpenStreamRequest.TryDecode(input, out _, out int consumed);

            Assert.True(Enum.IsDefined(status));
            Assert.True(status == DecodeStatus.Complete ? consumed > 0 && consumed <= input.Length : consumed == 0);
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] data = [.. seed];
        switch (random.Next(5))
        {
            case 0:
                data[random.Next(data.Length)] = (byte)random.Next(256);
                break;
            case 1:
                data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 2:
                return data[..random.Next(data.Length + 1)];
            case 3:
                byte[] extra = new byte[random.Next(1, 16)];
                random.NextBytes(extra);
                return [.. data, .. extra];
            default:
                // Leave it valid (a payload byte behind it).
                return [.. data, 0x42];
        }

        return data;
    }
}
