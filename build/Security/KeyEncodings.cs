using System.Text;

namespace Build.Security;

/// <summary>The forms a key takes when something encodes it: base64 (inside a longer blob too) and percent-encoding.</summary>
public static class KeyEncodings
{
    public static IEnumerable<string> Of(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);

        // The key at each of the three byte alignments of a longer base64 blob (a Basic auth header,
        // a JSON body): only the characters that depend on the key alone are stable.
        for (var offset = 0; offset < 3; offset++)
        {
            var padded = new byte[offset + bytes.Length];
            bytes.CopyTo(padded, offset);
            var encoded = Convert.ToBase64String(padded).TrimEnd('=');
            var first = ((offset * 8) + 5) / 6;
            var last = (padded.Length * 8) / 6;
            if (last - first >= Redactor.KeyRun)
            {
                var stable = encoded[first..last];
                yield return stable;
                yield return stable.Replace('+', '-').Replace('/', '_');
            }
        }

        var escaped = Uri.EscapeDataString(key);
        if (escaped != key)
        {
            yield return escaped;
        }

        var every = string.Concat(bytes.Select(value => $"%{value:X2}"));
        yield return every;
        yield return every.ToLowerInvariant();
    }
}
