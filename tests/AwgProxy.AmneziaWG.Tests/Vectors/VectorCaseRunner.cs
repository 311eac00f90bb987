using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwgProxy.AmneziaWG.Device;
using AwgProxy.AmneziaWG.Stdlib;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.AmneziaWG.Tests.Vectors;

/// <summary>
/// Checks one vector case against the port. Where upstream panics, the port's documented
/// rejection (UPSTREAM.md) is asserted instead: an <see cref="AwgValidationException"/> or parse
/// error naming the offending tag or value, false from Deobfuscate, or
/// <see cref="ArgumentOutOfRangeException"/> from rand.Int.
/// </summary>
public static partial class VectorCaseRunner
{
    public static void Run(JsonElement c, long defaultUnixTime)
    {
        var kind = c.GetProperty("kind").GetString();
        switch (kind)
        {
            case "chain": Chain(c, defaultUnixTime); break;
            case "chainData": ChainData(c, defaultUnixTime); break;
            case "deobfuscate": Deobfuscate(c); break;
            case "lenTable": LenTable(c); break;
            case "charClass": CharClass(c); break;
            case "header": Header(c); break;
            case "overlap": Overlap(c); break;
            case "uapi": UapiCase(c); break;
            case "randInt": RandInt(c); break;
            case "junk": Junk(c); break;
            case "padding": Padding(c); break;
            case "initSequence": InitSequence(c, defaultUnixTime); break;
            default: Assert.Fail($"unknown kind {kind}"); break;
        }
    }

    private static void Chain(JsonElement c, long defaultUnixTime)
    {
        var spec = c.GetProperty("spec").GetString()!;
        var valid = c.GetProperty("valid").GetBoolean();
        var panics = c.GetProperty("panics").GetBoolean();
        var parsed = ObfChain.TryParse(spec, ObfBuilders.Upstream, out var chain, out var error);

        if (!valid)
        {
            var expected = c.GetProperty("error").GetString()!;
            Assert.False(parsed);
            Assert.Equal(expected, error);
            AssertCounterDeviation(spec, expected);
            return;
        }

        if (panics)
        {
            AssertRejectedNamingOffender(spec, parsed, error);
            return;
        }

        Assert.True(parsed, error);
        var obfuscatedLen = c.GetProperty("obfuscatedLen").GetInt64();
        Assert.Equal(obfuscatedLen, chain!.ObfuscatedLen(0));
        var stream = Sha256CounterStream.FromHex(c.GetProperty("seedHex").GetString()!);
        var buf = new byte[obfuscatedLen];
        var written = chain.Obfuscate(buf, [], Context(stream, UnixTime(c, defaultUnixTime)));
        Assert.Equal(obfuscatedLen, written);
        Assert.Equal(c.GetProperty("outputHex").GetString(), Convert.ToHexStringLower(buf));
        Assert.Equal(c.GetProperty("outputSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(buf)));
        Assert.Equal(c.GetProperty("bytesConsumed").GetInt64(), stream.BytesConsumed);

        // Without <c> in the spec the project's table parses exactly as upstream's.
        Assert.True(ObfChain.TryParse(spec, out var ours, out _));
        Assert.Equal(obfuscatedLen, ours.ObfuscatedLen(0));
    }

    private static void ChainData(JsonElement c, long defaultUnixTime)
    {
        var spec = c.GetProperty("spec").GetString()!;
        var parsed = ObfChain.TryParse(spec, ObfBuilders.Upstream, out var chain, out var error);
        if (c.GetProperty("panics").GetBoolean())
        {
            AssertRejectedNamingOffender(spec, parsed, error);
            return;
        }

        Assert.True(parsed, error);
        var src = Convert.FromHexString(c.GetProperty("srcHex").GetString()!);
        var obfuscatedLen = c.GetProperty("obfuscatedLen").GetInt64();
        Assert.Equal(obfuscatedLen, chain!.ObfuscatedLen(src.Length));
        var stream = Sha256CounterStream.FromHex(c.GetProperty("seedHex").GetString()!);
        var buf = new byte[obfuscatedLen];
        chain.Obfuscate(buf, src, Context(stream, UnixTime(c, defaultUnixTime)));
        Assert.Equal(c.GetProperty("outputHex").GetString(), Convert.ToHexStringLower(buf));
        Assert.Equal(c.GetProperty("bytesConsumed").GetInt64(), stream.BytesConsumed);
    }

    private static void Deobfuscate(JsonElement c)
    {
        var spec = c.GetProperty("spec").GetString()!;
        var input = Convert.FromHexString(c.GetProperty("inputHex").GetString()!);
        var parsed = ObfChain.TryParse(spec, ObfBuilders.Upstream, out var chain, out var error);
        if (c.GetProperty("panics").GetBoolean())
        {
            if (!parsed)
            {
                // Negative lengths are rejected when parsing.
                AssertRejectedNamingOffender(spec, parsed, error);
                return;
            }

            // Go slices out of range and panics; the port answers false.
            var deobfuscatedLen = Math.Max(0, chain!.DeobfuscatedLen(input.Length));
            Assert.False(chain.Deobfuscate(new byte[deobfuscatedLen], input));
            return;
        }

        Assert.True(parsed, error);
        var expectedLen = c.GetProperty("deobfuscatedLen").GetInt64();
        Assert.Equal(expectedLen, chain!.DeobfuscatedLen(input.Length));
        var dst = new byte[expectedLen];
        Assert.Equal(c.GetProperty("result").GetBoolean(), chain.Deobfuscate(dst, input));
        Assert.Equal(c.GetProperty("dstHex").GetString(), Convert.ToHexStringLower(dst));
    }

    private static void LenTable(JsonElement c)
    {
        var spec = c.GetProperty("spec").GetString()!;
        Assert.True(ObfChain.TryParse(spec, ObfBuilders.Upstream, out var chain, out var error), error);
        foreach (var row in c.GetProperty("rows").EnumerateArray())
        {
            var n = row[0].GetInt64();
            Assert.Equal((n, row[1].GetInt64(), row[2].GetInt64()), (n, chain.ObfuscatedLen(n), chain.DeobfuscatedLen(n)));
        }
    }

    private static void CharClass(JsonElement c)
    {
        var isLetter = c.GetProperty("isLetter").GetString()!;
        var isDigit = c.GetProperty("isDigit").GetString()!;
        Assert.Equal(256, isLetter.Length);
        Assert.Equal(256, isDigit.Length);
        var rc = ObfChain.Parse("<rc 1>");
        var rd = ObfChain.Parse("<rd 1>");
        for (var k = 0; k < 256; k++)
        {
            var b = (byte)k;
            Assert.Equal((k, isLetter[k] == '1'), (k, GoUnicode.IsLetter(b)));
            Assert.Equal((k, isDigit[k] == '1'), (k, GoUnicode.IsDigit(b)));
            Assert.Equal((k, isLetter[k] == '1'), (k, rc.Deobfuscate([], [b])));
            Assert.Equal((k, isDigit[k] == '1'), (k, rd.Deobfuscate([], [b])));
        }
    }

    private static void Header(JsonElement c)
    {
        var spec = c.GetProperty("spec").GetString()!;
        var parsed = MagicHeader.TryParse(spec, out var header, out var error);
        if (!c.GetProperty("valid").GetBoolean())
        {
            Assert.False(parsed);
            Assert.Equal(c.GetProperty("error").GetString(), error);
            return;
        }

        if (c.GetProperty("panics").GetBoolean())
        {
            // Generate() panics upstream (the width wraps to 0); the port refuses the range.
            Assert.False(parsed);
            Assert.Contains(spec, error, StringComparison.Ordinal);
            Assert.Throws<AwgValidationException>(() => MagicHeader.Parse(spec));
            return;
        }

        Assert.True(parsed, error);
        Assert.Equal(c.GetProperty("start").GetInt64(), header!.Start);
        Assert.Equal(c.GetProperty("end").GetInt64(), header.End);
        Assert.Equal(c.GetProperty("genSpec").GetString(), header.GenSpec());
        var stream = Sha256CounterStream.FromHex(c.GetProperty("seedHex").GetString()!);
        var perCall = c.GetProperty("perCallBytes").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var generated = c.GetProperty("generated").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        for (var i = 0; i < generated.Length; i++)
        {
            var before = stream.BytesConsumed;
            Assert.Equal(generated[i], header.Generate(stream));
            Assert.Equal(perCall[i], stream.BytesConsumed - before);
        }

        Assert.Equal(c.GetProperty("bytesConsumed").GetInt64(), stream.BytesConsumed);
        foreach (var probe in c.GetProperty("validate").EnumerateArray())
        {
            var value = probe[0].GetUInt32();
            Assert.Equal((value, probe[1].GetBoolean()), (value, header.Validate(value)));
        }
    }

    private static void Overlap(JsonElement c)
    {
        var device = new DeviceState();
        var result = Uapi.IpcSetOperation(device, c.GetProperty("input").GetString()!);
        AssertIpcResult(c, result);
        AssertHeaders(c.GetProperty("stateAfter"), device);
    }

    private static void UapiCase(JsonElement c)
    {
        var device = new DeviceState();
        foreach (var op in c.GetProperty("operations").EnumerateArray())
        {
            var result = Uapi.IpcSetOperation(device, op.GetProperty("input").GetString()!);
            AssertIpcResult(op, result);
            if (result is not null)
            {
                Assert.Equal(op.GetProperty("innerError").GetString(), result.Err);
            }

            var state = op.GetProperty("stateAfter");
            AssertHeaders(state, device);
            Assert.Equal(state.GetProperty("jc").GetInt64(), device.Junk.Count);
            Assert.Equal(state.GetProperty("jmin").GetInt64(), device.Junk.Min);
            Assert.Equal(state.GetProperty("jmax").GetInt64(), device.Junk.Max);
            Assert.Equal(state.GetProperty("s1").GetInt64(), device.Paddings.Init);
            Assert.Equal(state.GetProperty("s2").GetInt64(), device.Paddings.Response);
            Assert.Equal(state.GetProperty("s3").GetInt64(), device.Paddings.Cookie);
            Assert.Equal(state.GetProperty("s4").GetInt64(), device.Paddings.Transport);
            var specs = state.GetProperty("i").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.GetString()).ToArray();
            Assert.Equal(specs, device.IPackets.Select(p => p?.Spec).ToArray());
        }
    }

    private static void RandInt(JsonElement c)
    {
        var max = c.GetProperty("max").GetInt64();
        var stream = Sha256CounterStream.FromHex(c.GetProperty("seedHex").GetString()!);
        if (c.GetProperty("panics").GetBoolean())
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GoCryptoRand.Int(stream, max));
            Assert.Contains("argument to Int is <= 0", ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, stream.BytesConsumed);
            return;
        }

        var values = c.GetProperty("values").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var perCall = c.GetProperty("perCallBytes").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            var before = stream.BytesConsumed;
            Assert.Equal(values[i], GoCryptoRand.Int(stream, max));
            Assert.Equal(perCall[i], stream.BytesConsumed - before);
        }

        Assert.Equal(c.GetProperty("bytesConsumed").GetInt64(), stream.BytesConsumed);
    }

    private static void Junk(JsonElement c)
    {
        var jc = c.GetProperty("jc").GetInt64();
        var jmin = c.GetProperty("jmin").GetInt64();
        var jmax = c.GetProperty("jmax").GetInt64();
        var stream = Sha256CounterStream.FromHex(c.GetProperty("seedHex").GetString()!);
        var packets = new List<byte[]>();
        if (c.GetProperty("panics").GetBoolean())
        {
            // Upstream panics in rand.Int or make; the port refuses before drawing anything.
            var ex = Assert.Throws<AwgValidationException>(() => Send.AppendJunk(jc, jmin, jmax, stream, packets));
            Assert.Contains(jmin < 0 ? $"jmin {jmin}" : $"jmax {jmax}", ex.Message, StringComparison.Ordinal);
            Assert.Empty(packets);
            Assert.Equal(0, stream.BytesConsumed);
            return;
        }

        Send.AppendJunk(jc, jmin, jmax, stream, packets);
        Assert.Equal(c.GetProperty("sizes").EnumerateArray().Select(e => e.GetInt64()), packets.Select(p => (long)p.Length));
        Assert.Equal(c.GetProperty("packetsHex").EnumerateArray().Select(e => e.GetString()), packets.Select(Convert.ToHexStringLower));
        Assert.Equal(c.GetProperty("bytesConsumed").GetInt64(), stream.BytesConsumed);
    }

    private static void Padding(JsonElement c)
    {
        var s = c.GetProperty("s").GetInt64();
        var packet = Convert.FromHexString(c.GetProperty("packetHex").GetString()!);
        var stream = Sha256CounterStream.FromHex(c.GetProperty("seedHex").GetString()!);
        var output = Send.Pad(s, packet, stream);
        Assert.Equal(c.GetProperty("outputHex").GetString(), Convert.ToHexStringLower(output));
        Assert.Equal(c.GetProperty("prefixHex").GetString(), Convert.ToHexStringLower(output.AsSpan(0, output.Length - packet.Length)));
        Assert.Equal(c.GetProperty("bytesConsumed").GetInt64(), stream.BytesConsumed);
    }

    private static void InitSequence(JsonElement c, long defaultUnixTime)
    {
        var device = new DeviceState();
        var i = 0;
        foreach (var spec in c.GetProperty("i").EnumerateArray())
        {
            device.IPackets[i++] = spec.ValueKind == JsonValueKind.Null ? null : ObfChain.Parse(spec.GetString()!);
        }

        device.Junk.Count = c.GetProperty("jc").GetInt64();
        device.Junk.Min = c.GetProperty("jmin").GetInt64();
        device.Junk.Max = c.GetProperty("jmax").GetInt64();
        device.Paddings.Init = c.GetProperty("s1").GetInt64();
        var message = Convert.FromHexString(c.GetProperty("messageHex").GetString()!);
        var stream = Sha256CounterStream.FromHex(c.GetProperty("seedHex").GetString()!);
        var datagrams = Send.SendHandshakeInitiation(device, message, Context(stream, UnixTime(c, defaultUnixTime)));
        Assert.Equal(c.GetProperty("datagramsHex").EnumerateArray().Select(e => e.GetString()), datagrams.Select(Convert.ToHexStringLower));
        Assert.Equal(c.GetProperty("bytesConsumed").GetInt64(), stream.BytesConsumed);
    }

    private static void AssertIpcResult(JsonElement expected, IpcError? actual)
    {
        if (expected.GetProperty("accepted").GetBoolean())
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.GetProperty("error").GetString(), actual.Error());
        Assert.Equal(expected.GetProperty("errorCode").GetInt64(), actual.Code);
    }

    private static void AssertHeaders(JsonElement state, DeviceState device)
    {
        Assert.Equal(state.GetProperty("h1").GetString(), device.Headers.Init.GenSpec());
        Assert.Equal(state.GetProperty("h2").GetString(), device.Headers.Response.GenSpec());
        Assert.Equal(state.GetProperty("h3").GetString(), device.Headers.Cookie.GenSpec());
        Assert.Equal(state.GetProperty("h4").GetString(), device.Headers.Transport.GenSpec());
    }

    /// <summary>
    /// Upstream builds the chain and crashes when it makes the packet (negative or wrapping
    /// lengths); the port must refuse the spec and name a tag whose length is out of 0..65527 with
    /// that length.
    /// </summary>
    private static void AssertRejectedNamingOffender(string spec, bool parsed, string? error)
    {
        Assert.False(parsed, $"the port must reject {spec}");
        Assert.NotNull(error);
        var offender = TagPattern().Matches(spec)
            .Select(m => (Name: m.Groups["name"].Value, Arg: m.Groups["arg"].Value))
            .FirstOrDefault(t => long.TryParse(t.Arg, out var n) && (n < 0 || n > AwgLimits.MaxUdpPayload));
        Assert.NotNull(offender.Name);
        Assert.Contains($"<{offender.Name}>", error, StringComparison.Ordinal);
        Assert.Contains(offender.Arg.TrimStart('+'), error, StringComparison.Ordinal);
        Assert.Throws<AwgValidationException>(() => ObfChain.Parse(spec));
    }

    /// <summary>
    /// Deviation D1: with the project's table, the only difference from upstream is that
    /// "unknown tag &lt;c&gt;" lines disappear (and a spec with no other problem parses).
    /// </summary>
    private static void AssertCounterDeviation(string spec, string upstreamError)
    {
        var remaining = upstreamError == "missing enclosing >"
            ? [upstreamError]
            : upstreamError.Split('\n').Where(line => line != "unknown tag <c>").ToArray();
        var parsed = ObfChain.TryParse(spec, out _, out var error);
        if (remaining.Length == 0)
        {
            Assert.True(parsed, error);
        }
        else
        {
            Assert.False(parsed);
            Assert.Equal(string.Join('\n', remaining), error);
        }
    }

    private static ObfContext Context(IRandomSource random, long unixTime) =>
        new(random, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(unixTime)));

    private static long UnixTime(JsonElement c, long defaultUnixTime) =>
        c.TryGetProperty("unixTime", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : defaultUnixTime;

    [GeneratedRegex(@"<(?<name>[a-z]+)\s+(?<arg>[+-]?\d+)")]
    private static partial Regex TagPattern();
}
