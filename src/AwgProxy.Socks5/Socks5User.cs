namespace AwgProxy.Socks5;

/// <summary>One account allowed to use the server (RFC 1929 username/password).</summary>
public sealed class Socks5User
{
    /// <summary>UNAME: 1 to 255 UTF-8 octets, unique among the users (compared ordinally). Appears in logs.</summary>
    public string UserName { get; set; } = string.Empty;

    /// <summary>PASSWD: 1 to 255 UTF-8 octets. Never logged.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>The user name only, so that the password cannot leak through formatting.</summary>
    public override string ToString() => UserName;
}
