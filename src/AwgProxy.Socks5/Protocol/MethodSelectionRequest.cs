namespace AwgProxy.Socks5.Protocol;

/// <summary>
/// The client's version identifier/method selection message, the first message of a session (RFC 1928 §3).
/// </summary>
/// <remarks>
/// <code>
/// +----+----------+----------+
/// |VER | NMETHODS | METHODS  |
/// +----+----------+----------+
/// | 1  |    1     | 1 to 255 |
/// +----+----------+----------+
/// </code>
/// A VER other than X'05' is Invalid: the peer does not speak SOCKS5 (a SOCKS4 client sends X'04'), so no
/// reply it would understand exists and the server just closes. NMETHODS = 0 is accepted as "offers
/// nothing", which the server answers with X'FF'. The offered methods are kept as a 256-bit set, so parsing
/// allocates nothing.
/// </remarks>
public readonly struct MethodSelectionRequest
{
    private readonly ulong _offered0;
    private readonly ulong _offered1;
    private readonly ulong _offered2;
    private readonly ulong _offered3;

    private MethodSelectionRequest(ReadOnlySpan<byte> methods)
    {
        MethodCount = methods.Length;
        foreach (byte method in methods)
        {
            ulong bit = 1UL << (method & 63);
            switch (method >> 6)
            {
                case 0: _offered0 |= bit; break;
                case 1: _offered1 |= bit; break;
                case 2: _offered2 |= bit; break;
                default: _offered3 |= bit; break;
            }
        }
    }

    /// <summary>NMETHODS: how many METHODS octets the client sent (duplicates included).</summary>
    public int MethodCount { get; }

    /// <summary>Whether METHODS contains <paramref name="method"/>.</summary>
    public bool Offers(Socks5AuthMethod method)
    {
        byte value = (byte)method;
        ulong word = (value >> 6) switch
        {
            0 => _offered0,
            1 => _offered1,
            2 => _offered2,
            _ => _offered3,
        };
        return (word & (1UL << (value & 63))) != 0;
    }

    /// <summary>Parses the message from the start of <paramref name="source"/>.</summary>
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> source, out MethodSelectionRequest request)
    {
        request = default;
        if (source.IsEmpty)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        if (source[0] != Socks5Constants.ProtocolVersion)
        {
            return Socks5ParseResult.Invalid(Socks5ReplyCode.GeneralFailure, "VER is not X'05'");
        }

        if (source.Length < 2 || source.Length < 2 + source[1])
        {
            return Socks5ParseResult.NeedMoreData;
        }

        int count = source[1];
        request = new MethodSelectionRequest(source.Slice(2, count));
        return Socks5ParseResult.Complete(2 + count);
    }

    /// <summary>Length of a message offering <paramref name="methodCount"/> methods.</summary>
    public static int GetEncodedLength(int methodCount) => 2 + methodCount;

    /// <summary>Writes a message offering <paramref name="methods"/> (1 to 255 of them); returns its length.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<Socks5AuthMethod> methods)
    {
        if (methods.Length is 0 or > 255)
        {
            throw new ArgumentException("A method selection message offers 1 to 255 methods.", nameof(methods));
        }

        int length = GetEncodedLength(methods.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination is too short for the message.", nameof(destination));
        }

        destination[0] = Socks5Constants.ProtocolVersion;
        destination[1] = (byte)methods.Length;
        for (int i = 0; i < methods.Length; i++)
        {
            destination[2 + i] = (byte)methods[i];
        }

        return length;
    }
}
