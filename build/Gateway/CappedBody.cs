using System.Text;

namespace Build.Gateway;

/// <summary>Reads at most a fixed number of bytes of an answer, so a runaway body cannot take the run down.</summary>
public static class CappedBody
{
    public const int Limit = 1024 * 1024;

    public static async Task<(string Text, bool TooLarge)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken, int limit = Limit)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            return (string.Empty, true);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(limit + 1, 64 * 1024)];
        using var collected = new MemoryStream();
        int read;
        try
        {
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                collected.Write(buffer, 0, read);
                if (collected.Length > limit)
                {
                    return (string.Empty, true);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.BodyBroken,
                $"The connection closed in the middle of the answer ({(int)response.StatusCode}, {collected.Length} bytes read)"));
        }

        return (Encoding.UTF8.GetString(collected.GetBuffer(), 0, (int)collected.Length), false);
    }
}
