namespace AwgProxy.Socks5.Protocol;

/// <summary>The client's username/password request (RFC 1929 §2).</summary>
/// <remarks>
/// <code>
/// +----+------+----------+------+----------+
/// |VER | ULEN |  UNAME   | PLEN |  PASSWD  |
/// +----+------+----------+------+----------+
/// | 1  |  1   | 1 to 255 |  1   | 1 to 255 |
/// +----+------+----------+------+----------+
/// </code>
/// VER is X'01', the subnegotiation's own version. A different VER is Invalid; the server answers it with
/// STATUS failure. ULEN or PLEN = 0 parses (the fields are structurally sound) and simply fails the
/// credential check, since configured names and passwords are never empty. The fields are views into the
/// parsed buffer: nothing is copied, so the password never lands in a string.
/// </remarks>
public readonly ref struct UsernamePasswordRequest
{
    private UsernamePasswordRequest(ReadOnlySpan<byte> userName, ReadOnlySpan<byte> password)
    {
        UserName = userName;
        Password = password;
    }

    /// <summary>UNAME, as sent.</summary>
    public ReadOnlySpan<byte> UserName { get; }

    /// <summary>PASSWD, as sent. Never log it.</summary>
    public ReadOnlySpan<byte> Password { get; }

    /// <summary>Parses the message from the start of <paramref name="source"/>.</summary>
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> source, out UsernamePasswordRequest request)
    {
        request = default;
        if (source.IsEmpty)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        if (source[0] != Socks5Constants.UsernamePasswordVersion)
        {
            return Socks5ParseResult.Invalid(Socks5ReplyCode.GeneralFailure, "subnegotiation VER is not X'01'");
        }

        if (source.Length < 2)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        int userNameLength = source[1];
        int passwordLengthOffset = 2 + userNameLength;
        if (source.Length <= passwordLengthOffset)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        int passwordLength = source[passwordLengthOffset];
        int length = passwordLengthOffset + 1 + passwordLength;
        if (source.Length < length)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        request = new UsernamePasswordRequest(source.Slice(2, userNameLength), source.Slice(passwordLengthOffset + 1, passwordLength));
        return Socks5ParseResult.Complete(length);
    }

    /// <summary>Length of a request with these field lengths.</summary>
    public static int GetEncodedLength(int userNameLength, int passwordLength) => 3 + userNameLength + passwordLength;

    /// <summary>Writes a request (fields of 0 to 255 octets); returns its length.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> userName, ReadOnlySpan<byte> password)
    {
        if (userName.Length > Socks5Constants.MaxUserNameLength)
        {
            throw new ArgumentException("UNAME has at most 255 octets.", nameof(userName));
        }

        if (password.Length > Socks5Constants.MaxPasswordLength)
        {
            throw new ArgumentException("PASSWD has at most 255 octets.", nameof(password));
        }

        int length = GetEncodedLength(userName.Length, password.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination is too short for the message.", nameof(destination));
        }

        destination[0] = Socks5Constants.UsernamePasswordVersion;
        destination[1] = (byte)userName.Length;
        userName.CopyTo(destination[2..]);
        destination[2 + userName.Length] = (byte)password.Length;
        password.CopyTo(destination[(3 + userName.Length)..]);
        return length;
    }
}
