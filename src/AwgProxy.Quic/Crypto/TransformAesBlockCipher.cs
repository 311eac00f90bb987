using System.Security.Cryptography;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// Portable AES block encryption for machines without AES instructions: one ECB encryptor without padding,
/// created once per key and reused for every block (a one-shot call would set up a cipher context each time).
/// RFC 9001 section 5.4.3 defines header protection as AES-ECB on a single 16-byte block.
/// </summary>
internal sealed class TransformAesBlockCipher : AesBlockCipher
{
    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _input = new byte[BlockLength];
    private readonly byte[] _output = new byte[BlockLength];

    public TransformAesBlockCipher(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        byte[] keyCopy = key.ToArray();
        try
        {
            _aes.Mode = CipherMode.ECB;
            _aes.Padding = PaddingMode.None;
            _aes.Key = keyCopy;
            _encryptor = _aes.CreateEncryptor();
        }
        catch
        {
            _aes.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyCopy);
        }
    }

    public override AesImplementation Implementation => AesImplementation.CryptoTransform;

    public override void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckBlockArguments(input, output);
        input.CopyTo(_input);
        int written = _encryptor.TransformBlock(_input, 0, BlockLength, _output, 0);
        if (written != BlockLength)
            throw new CryptographicException("The AES-ECB transform did not produce a block.");
        _output.CopyTo(output);
    }

    public override void Dispose()
    {
        _encryptor.Dispose();
        _aes.Dispose();
    }
}
