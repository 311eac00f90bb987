namespace AwgProxy.Socks5.Protocol;

/// <summary>What a SOCKS5 parser made of the bytes it was given.</summary>
public enum Socks5ParseStatus
{
    /// <summary>The bytes are a valid prefix of a message; read more and parse again from the start.</summary>
    NeedMoreData = 0,

    /// <summary>A whole message was parsed; <see cref="Socks5ParseResult.BytesConsumed"/> says how long it was.</summary>
    Complete,

    /// <summary>The bytes can never become a valid message; answer (when the stage has a reply) and close.</summary>
    Invalid,
}

/// <summary>
/// The outcome of a SOCKS5 parser. Parsers never throw on input and consume nothing unless the status is
/// <see cref="Socks5ParseStatus.Complete"/>. The default value is <see cref="NeedMoreData"/>.
/// </summary>
public readonly struct Socks5ParseResult : IEquatable<Socks5ParseResult>
{
    private Socks5ParseResult(Socks5ParseStatus status, int bytesConsumed, Socks5ReplyCode replyCode, string? reason)
    {
        Status = status;
        BytesConsumed = bytesConsumed;
        ReplyCode = replyCode;
        Reason = reason;
    }

    /// <summary>A valid prefix: more bytes are needed.</summary>
    public static Socks5ParseResult NeedMoreData => default;

    /// <summary>Whether, and how, the input was parsed.</summary>
    public Socks5ParseStatus Status { get; }

    /// <summary>Length of the parsed message when <see cref="Status"/> is Complete; otherwise 0.</summary>
    public int BytesConsumed { get; }

    /// <summary>
    /// When <see cref="Status"/> is Invalid: the REP that a request-stage answer carries (for example X'08'
    /// for an unknown ATYP). Stages without a SOCKS reply (the greeting, RFC 1929 authentication) ignore it.
    /// </summary>
    public Socks5ReplyCode ReplyCode { get; }

    /// <summary>When <see cref="Status"/> is Invalid: a short constant description, safe to log.</summary>
    public string? Reason { get; }

    /// <summary>A message of <paramref name="bytesConsumed"/> bytes was parsed.</summary>
    public static Socks5ParseResult Complete(int bytesConsumed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesConsumed);
        return new Socks5ParseResult(Socks5ParseStatus.Complete, bytesConsumed, Socks5ReplyCode.Succeeded, null);
    }

    /// <summary>The input can never become a valid message.</summary>
    public static Socks5ParseResult Invalid(Socks5ReplyCode replyCode, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return new Socks5ParseResult(Socks5ParseStatus.Invalid, 0, replyCode, reason);
    }

    /// <inheritdoc />
    public bool Equals(Socks5ParseResult other) =>
        Status == other.Status && BytesConsumed == other.BytesConsumed &&
        ReplyCode == other.ReplyCode && string.Equals(Reason, other.Reason, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Socks5ParseResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Status, BytesConsumed, ReplyCode, Reason);

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        Socks5ParseStatus.Complete => $"Complete({BytesConsumed})",
        Socks5ParseStatus.Invalid => $"Invalid({ReplyCode}: {Reason})",
        _ => "NeedMoreData",
    };

    /// <summary>Equality of status, length, reply code and reason.</summary>
    public static bool operator ==(Socks5ParseResult left, Socks5ParseResult right) => left.Equals(right);

    /// <summary>Inequality of status, length, reply code or reason.</summary>
    public static bool operator !=(Socks5ParseResult left, Socks5ParseResult right) => !left.Equals(right);
}
