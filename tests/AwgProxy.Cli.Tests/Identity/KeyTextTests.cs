using AwgProxy.Cli.Identity;

namespace AwgProxy.Cli.Tests.Identity;

public class KeyTextTests
{
    private const string Valid = "HRLU9URNiRMTAs0/6T4qt64ckUpdys6R1nMiSDDB300=";

    [Theory]
    [InlineData(Valid)]
    [InlineData(Valid + "\n")]
    [InlineData("  " + Valid + " \r\n")]
    [InlineData("\t" + Valid)]
    public void SurroundingWhitespace_IsAccepted(string text)
    {
        var key = new byte[32];

        Assert.True(KeyText.TryParse(text, key, out var error), error);
        Assert.Equal(Convert.FromBase64String(Valid), key);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(" \n ", "empty")]
    [InlineData("not a key at all!", "not valid base64")]
    [InlineData("HRLU9URNiRMTAs0/6T4qt64c kUpdys6R1nMiSDDB300=", "not valid base64")]
    [InlineData("YWJj", "decodes to 3 bytes")]
    [InlineData("HRLU9URNiRMTAs0/6T4qt64ckUpdys6R1nMiSDDB300AAAA=", "decodes to 35 bytes")]
    [InlineData("HRLU9URNiRMTAs0/6T4qt64ckUpdys6R1nMiSDDB301=", "base64")] // stray bits in the last character
    public void MalformedText_IsRejectedWithAReasonThatDoesNotQuoteIt(string text, string reason)
    {
        var key = new byte[32];

        Assert.False(KeyText.TryParse(text, key, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        if (text.Trim().Length > 4)
        {
            Assert.DoesNotContain(text.Trim(), error!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Format_IsStandardBase64WithPadding()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

        var text = KeyText.Format(bytes);

        Assert.Equal(Convert.ToBase64String(bytes), text);
        Assert.Equal(KeyText.Base64Length, text.Length);
    }
}
