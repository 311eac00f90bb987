using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AwgProxy.AmneziaWG.Tests.Vectors;

/// <summary>
/// The vectors' deterministic stand-in for crypto/rand.Reader (awg-vectors/README.md):
/// SHA256(seed || u32le(0)) || SHA256(seed || u32le(1)) || ..., read strictly in order.
/// </summary>
public sealed class Sha256CounterStream : IRandomSource
{
    private readonly byte[] _seed;
    private readonly byte[] _block = new byte[32];
    private uint _counter;
    private int _offset = 32;

    public Sha256CounterStream(byte[] seed) => _seed = seed;

    /// <summary>Stream bytes read so far.</summary>
    public long BytesConsumed { get; private set; }

    public static Sha256CounterStream FromHex(string seedHex) => new(Convert.FromHexString(seedHex));

    public void Read(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_offset == _block.Length)
            {
                var input = new byte[_seed.Length + 4];
                _seed.CopyTo(input, 0);
                BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(_seed.Length), _counter++);
                SHA256.HashData(input, _block);
                _offset = 0;
            }

            var n = Math.Min(buffer.Length, _block.Length - _offset);
            _block.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            buffer = buffer[n..];
            BytesConsumed += n;
        }
    }
}
