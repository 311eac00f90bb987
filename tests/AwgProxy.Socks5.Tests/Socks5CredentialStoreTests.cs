using System.Text;

namespace AwgProxy.Socks5.Tests;

public class Socks5CredentialStoreTests
{
    private static readonly Socks5CredentialStore s_store = new(
    [
        new Socks5User { UserName = "alice", Password = "alice-password" },
        new Socks5User { UserName = "bob", Password = "bob-password" },
        new Socks5User { UserName = "\u00e9milie", Password = "p\u00e4ss" },
    ]);

    [Theory]
    [InlineData("alice", "alice-password", "alice")]
    [InlineData("bob", "bob-password", "bob")]
    [InlineData("\u00e9milie", "p\u00e4ss", "\u00e9milie")]
    public void MatchingPair_ReturnsTheConfiguredName(string userName, string password, string expected)
    {
        Assert.Equal(expected, Authenticate(userName, password));
    }

    [Theory]
    [InlineData("alice", "bob-password")]
    [InlineData("bob", "alice-password")]
    [InlineData("alice", "alice-passwor")]
    [InlineData("alice", "alice-password ")]
    [InlineData("Alice", "alice-password")]
    [InlineData("carol", "alice-password")]
    [InlineData("", "")]
    [InlineData("alice", "")]
    public void AnyOtherPair_IsRefused(string userName, string password)
    {
        Assert.Null(Authenticate(userName, password));
    }

    [Fact]
    public void NoUsers_RefusesEverything()
    {
        Assert.Null(new Socks5CredentialStore([]).Authenticate("a"u8, "b"u8));
    }

    private static string? Authenticate(string userName, string password) =>
        s_store.Authenticate(Encoding.UTF8.GetBytes(userName), Encoding.UTF8.GetBytes(password));
}
