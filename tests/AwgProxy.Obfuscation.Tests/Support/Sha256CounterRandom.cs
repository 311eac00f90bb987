using System.Buffers.Binary;
using System.Security.Cryptography;
using AwgProxy.AmneziaWG;

namespace AwgProxy.Obfuscation.Tests.Support;

/// <summary>
/// A deterministic random stream, the one the AWG vectors use: SHA256(seed || u32le(0)) ||
/// SHA256(seed || u32le(1)) || ..., read strictly in order. Two instances with one seed yield the same bytes.
/// </summary>
public sealed class Sha256CounterRandom : IRandomSource
{
    private readonly byte[] _seed;
    private readonly byte[] _block = new byte[SHA256.HashSizeInBytes];
    private uint _counter;
    private int _offset = SHA256.HashSizeInBytes;

    public Sha256CounterRandom(string seed) => _seed = System.Text.Encoding.UTF8.GetBytes(seed);

    public long BytesRead { get; private set; }

    public void Read(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_offset == _block.Length)
            {
                var input = new byte[_seed.Length + sizeof(uint)];
                _seed.CopyTo(input, 0);
                BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(_seed.Length), _counter++);
                SHA256.HashData(input, _block);
                _offset = 0;
            }

            var n = Math.Min(buffer.Length, _block.Length - _offset);
            _block.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            buffer = buffer[n..];
            BytesRead += n;
        }
    }
}
