using AwgProxy.AmneziaWG.Tests.Vectors;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.AmneziaWG.Tests;

internal static class TestSupport
{
    public static readonly DateTimeOffset FixedTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static ObfContext Context(uint datagramsSent = 0, string seedHex = "00") =>
        new(Sha256CounterStream.FromHex(seedHex), new FakeTimeProvider(FixedTime), datagramsSent);

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
