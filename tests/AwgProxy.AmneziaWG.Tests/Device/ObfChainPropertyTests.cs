using System.Globalization;
using System.Text;
using AwgProxy.AmneziaWG.Device;
using AwgProxy.AmneziaWG.Tests.Vectors;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.AmneziaWG.Tests.Device;

/// <summary>Seeded, bounded property tests over random valid chains.</summary>
public class ObfChainPropertyTests
{
    private const int Iterations = 2000;

    [Fact]
    public void ObfuscatedLen_EqualsExactlyTheBytesObfuscateWrites()
    {
        var random = new Random(20251125);
        for (var i = 0; i < Iterations; i++)
        {
            var spec = RandomSpec(random, allowManyDynamic: true);
            var chain = ObfChain.Parse(spec);
            var src = new byte[random.Next(0, 400)];
            random.NextBytes(src);
            var seed = $"{i:x8}";
            var len = chain.ObfuscatedLen(src.Length);

            // Same randomness, two different fillings: a byte the chain does not write would differ
            // inside the packet, and a byte it writes past the end would differ from the filling.
            var a = FilledBuffer(len + 16, 0x00);
            var b = FilledBuffer(len + 16, 0xFF);
            var writtenA = chain.Obfuscate(a, src, Context(seed, (uint)i));
            var writtenB = chain.Obfuscate(b, src, Context(seed, (uint)i));

            Assert.Equal(len, writtenA);
            Assert.Equal(len, writtenB);
            Assert.True(a.AsSpan(0, (int)len).SequenceEqual(b.AsSpan(0, (int)len)), spec);
            Assert.All(a.AsSpan((int)len).ToArray(), x => Assert.Equal(0x00, x));
            Assert.All(b.AsSpan((int)len).ToArray(), x => Assert.Equal(0xFF, x));
        }
    }

    [Fact]
    public void Deobfuscate_InvertsObfuscate_WhenTheChainHasAtMostOneDynamicTag()
    {
        var random = new Random(7);
        for (var i = 0; i < Iterations; i++)
        {
            var spec = RandomSpec(random, allowManyDynamic: false);
            var chain = ObfChain.Parse(spec);
            var src = new byte[random.Next(0, 300)];
            random.NextBytes(src);
            var packet = new byte[chain.ObfuscatedLen(src.Length)];
            chain.Obfuscate(packet, src, Context($"{i:x4}", 0));

            var hasDynamic = spec.Contains("<d>", StringComparison.Ordinal) || spec.Contains("<ds>", StringComparison.Ordinal);
            var dst = new byte[chain.DeobfuscatedLen(packet.Length)];

            Assert.True(chain.Deobfuscate(dst, packet), spec);
            Assert.Equal(hasDynamic ? src : [], dst);
        }
    }

    [Fact]
    public void Deobfuscate_NeverThrowsOnArbitraryInput()
    {
        var random = new Random(99);
        for (var i = 0; i < Iterations; i++)
        {
            var chain = ObfChain.Parse(RandomSpec(random, allowManyDynamic: true));
            var input = new byte[random.Next(0, 200)];
            random.NextBytes(input);
            var dstLength = random.Next(3) switch
            {
                0 => (int)Math.Clamp(chain.DeobfuscatedLen(input.Length), 0, 1000),
                1 => random.Next(0, 50),
                _ => 0,
            };

            chain.Deobfuscate(new byte[dstLength], input);
        }
    }

    private static ObfContext Context(string seedHex, uint counter) =>
        new(Sha256CounterStream.FromHex(seedHex), new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_650_000_000)), counter);

    private static byte[] FilledBuffer(long length, byte value)
    {
        var buf = new byte[length];
        Array.Fill(buf, value);
        return buf;
    }

    private static string RandomSpec(Random random, bool allowManyDynamic)
    {
        var sb = new StringBuilder();
        var dynamicUsed = false;
        var count = random.Next(0, 8);
        for (var t = 0; t < count; t++)
        {
            if (random.Next(4) == 0)
            {
                sb.Append(" text ");
            }

            var n = random.Next(0, 40).ToString(CultureInfo.InvariantCulture);
            switch (random.Next(10))
            {
                case 0:
                    var bytes = new byte[random.Next(1, 6)];
                    random.NextBytes(bytes);
                    sb.Append("<b 0x").Append(Convert.ToHexString(bytes)).Append('>');
                    break;
                case 1: sb.Append("<r ").Append(n).Append('>'); break;
                case 2: sb.Append("<rc ").Append(n).Append('>'); break;
                case 3: sb.Append("<rd ").Append(n).Append('>'); break;
                case 4: sb.Append("<dz ").Append(random.Next(0, 12)).Append('>'); break;
                case 5: sb.Append("<t>"); break;
                case 6: sb.Append("<c>"); break;
                case 7 or 8 when allowManyDynamic || !dynamicUsed:
                    sb.Append(random.Next(2) == 0 ? "<d>" : "<ds>");
                    dynamicUsed = true;
                    break;
                default: sb.Append("<b 0x00>"); break;
            }
        }

        return sb.ToString();
    }
}
