using System.Security.Cryptography;
using System.Text;

namespace AwgProxy.Socks5;

/// <summary>
/// The configured users, checked in constant time. Names and passwords are kept as SHA-256 digests so that
/// every comparison has the same fixed length, and the check compares the offered pair against every user
/// without stopping at a match: how long it takes reveals neither which user exists nor how much of a
/// password was right.
/// </summary>
internal sealed class Socks5CredentialStore
{
    private const int DigestLength = 32;

    private readonly string[] _userNames;
    private readonly byte[] _userNameDigests;
    private readonly byte[] _passwordDigests;

    public Socks5CredentialStore(IEnumerable<Socks5User> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        Socks5User[] list = users.ToArray();
        _userNames = new string[list.Length];
        _userNameDigests = new byte[list.Length * DigestLength];
        _passwordDigests = new byte[list.Length * DigestLength];
        for (int i = 0; i < list.Length; i++)
        {
            _userNames[i] = list[i].UserName;
            SHA256.HashData(Encoding.UTF8.GetBytes(list[i].UserName), _userNameDigests.AsSpan(i * DigestLength, DigestLength));
            SHA256.HashData(Encoding.UTF8.GetBytes(list[i].Password), _passwordDigests.AsSpan(i * DigestLength, DigestLength));
        }
    }

    /// <summary>The configured name of the user whose name and password both match, or null.</summary>
    public string? Authenticate(ReadOnlySpan<byte> userName, ReadOnlySpan<byte> password)
    {
        Span<byte> userNameDigest = stackalloc byte[DigestLength];
        Span<byte> passwordDigest = stackalloc byte[DigestLength];
        SHA256.HashData(userName, userNameDigest);
        SHA256.HashData(password, passwordDigest);

        // Names are unique, so at most one entry matches; matchPlusOne stays 0 when none does.
        int matchPlusOne = 0;
        for (int i = 0; i < _userNames.Length; i++)
        {
            bool nameMatches = CryptographicOperations.FixedTimeEquals(userNameDigest, _userNameDigests.AsSpan(i * DigestLength, DigestLength));
            bool passwordMatches = CryptographicOperations.FixedTimeEquals(passwordDigest, _passwordDigests.AsSpan(i * DigestLength, DigestLength));
            int matches = (nameMatches ? 1 : 0) & (passwordMatches ? 1 : 0);
            matchPlusOne |= -matches & (i + 1);
        }

        return matchPlusOne == 0 ? null : _userNames[matchPlusOne - 1];
    }
}
