// Mirrors strings.Fields from Go's src/strings/strings.go (Go 1.24), used by amneziawg-go
// e796d477d89e6851b2bb4871bf75f1e621f94ace to split a tag body into name and argument.
namespace AwgProxy.AmneziaWG.Stdlib;

internal static class GoStrings
{
    /// <summary>
    /// strings.Fields: the substrings between runs of white space (<see cref="GoUnicode.IsSpace"/>);
    /// empty when <paramref name="s"/> is empty or all white space.
    /// </summary>
    public static List<string> Fields(string s)
    {
        var fields = new List<string>();
        var start = -1;
        for (var i = 0; i < s.Length; i++)
        {
            if (GoUnicode.IsSpace(s[i]))
            {
                if (start >= 0)
                {
                    fields.Add(s[start..i]);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            fields.Add(s[start..]);
        }

        return fields;
    }
}
