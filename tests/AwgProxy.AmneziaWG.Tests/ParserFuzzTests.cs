using System.Text;
using AwgProxy.AmneziaWG.Device;

namespace AwgProxy.AmneziaWG.Tests;

/// <summary>
/// Seeded, bounded fuzzing of every entry point that takes configuration text: nothing but the
/// documented results may come out (false plus a message, an IpcError), never an exception.
/// </summary>
public class ParserFuzzTests
{
    private static readonly string[] s_pieces =
    [
        "<", ">", " ", "\t", "\n", "\r", "\u00a0", "\u3000", "\u200b", "-", "+", "=", "0", "1", "9", "x", "0x", "é",
        "b", "r", "rc", "rd", "t", "d", "ds", "dz", "c", "65527", "65528", "-1", "9223372036854775807", "4294967295",
        "h1", "h4", "i1", "jc", "jmin", "jmax", "s1", "\uD800",
    ];

    [Fact]
    public void RandomText_NeverThrowsFromTheParsers()
    {
        var random = new Random(424242);
        for (var i = 0; i < 20000; i++)
        {
            var text = RandomText(random);

            if (ObfChain.TryParse(text, out var chain, out var error))
            {
                Assert.InRange(chain.ObfuscatedLen(0), 0, AwgLimits.MaxUdpPayload);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }

            if (!MagicHeader.TryParse(text, out _, out var headerError))
            {
                Assert.False(string.IsNullOrEmpty(headerError));
            }

            var ipcError = Uapi.IpcSetOperation(new DeviceState(), text);
            Assert.True(ipcError is null || ipcError.Code is IpcError.IpcErrorInvalid or IpcError.IpcErrorProtocol);
        }
    }

    private static string RandomText(Random random)
    {
        var sb = new StringBuilder();
        var count = random.Next(0, 12);
        for (var i = 0; i < count; i++)
        {
            sb.Append(s_pieces[random.Next(s_pieces.Length)]);
        }

        return sb.ToString();
    }
}
