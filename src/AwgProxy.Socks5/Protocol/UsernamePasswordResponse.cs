namespace AwgProxy.Socks5.Protocol;

/// <summary>The server's username/password response (RFC 1929 §2).</summary>
/// <remarks>
/// <code>
/// +----+--------+
/// |VER | STATUS |
/// +----+--------+
/// | 1  |   1    |
/// +----+--------+
/// </code>
/// STATUS X'00' is success; any other value is failure, after which the server closes the connection.
/// </remarks>
public readonly struct UsernamePasswordResponse : IEquatable<UsernamePasswordResponse>
{
    /// <summary>STATUS X'00'.</summary>
    public const byte StatusSuccess = 0x00;

    /// <summary>The STATUS this server sends on failure.</summary>
    public const byte StatusFailure = 0x01;

    /// <summary>Length of the message: VER and STATUS.</summary>
    public const int EncodedLength = 2;

    /// <summary>A response carrying <paramref name="status"/>.</summary>
    public UsernamePasswordResponse(byte status) => Status = status;

    /// <summary>The success response.</summary>
    public static UsernamePasswordResponse Success => new(StatusSuccess);

    /// <summary>The failure response this server sends.</summary>
    public static UsernamePasswordResponse Failure => new(StatusFailure);

    /// <summary>STATUS.</summary>
    public byte Status { get; }

    /// <summary>Whether STATUS is X'00'.</summary>
    public bool Succeeded => Status == StatusSuccess;

    /// <summary>Parses the message from the start of <paramref name="source"/>.</summary>
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> source, out UsernamePasswordResponse response)
    {
        response = default;
        if (source.IsEmpty)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        if (source[0] != Socks5Constants.UsernamePasswordVersion)
        {
            return Socks5ParseResult.Invalid(Socks5ReplyCode.GeneralFailure, "subnegotiation VER is not X'01'");
        }

        if (source.Length < EncodedLength)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        response = new UsernamePasswordResponse(source[1]);
        return Socks5ParseResult.Complete(EncodedLength);
    }

    /// <summary>Writes the message; returns <see cref="EncodedLength"/>.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException("Destination is too short for the message.", nameof(destination));
        }

        destination[0] = Socks5Constants.UsernamePasswordVersion;
        destination[1] = Status;
        return EncodedLength;
    }

    /// <inheritdoc />
    public bool Equals(UsernamePasswordResponse other) => Status == other.Status;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is UsernamePasswordResponse other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Status;

    /// <summary>Same STATUS.</summary>
    public static bool operator ==(UsernamePasswordResponse left, UsernamePasswordResponse right) => left.Equals(right);

    /// <summary>Different STATUS.</summary>
    public static bool operator !=(UsernamePasswordResponse left, UsernamePasswordResponse right) => !left.Equals(right);
}
