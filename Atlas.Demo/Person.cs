using System.Text.Json;
using System.Text.RegularExpressions;

namespace Atlas.Demo;

/// <summary>Someone signed in: their phone, user id and session.</summary>
public sealed partial record Person(string Phone, string UserId, string Role, string AccessToken, string RefreshToken)
{
    /// <summary>Signs <paramref name="phone"/> in as a person would: asks for a code, reads the text in the development
    /// SMS inbox (newest first, older codes kept: the one to use is the first after asking), sends it back.</summary>
    public static async Task<Person> SignInAsync(AtlasApi api, string phone)
    {
        var inbox = $"dev/sms?phone={Uri.EscapeDataString(phone)}";
        var before = (await api.GetAsync(inbox)).GetProperty("messages").GetArrayLength();
        var challenge = await api.PostAsync("auth/otp", new { phone });

        // The text goes out through the notifications queue: it arrives a moment later.
        var texts = await api.PollAsync(inbox, token: null, m => m.GetProperty("messages").GetArrayLength() > before, $"the sign-in text to {phone}");
        var code = SixDigits().Match(texts.GetProperty("messages")[0].GetProperty("body").GetString()!).Value;

        var session = await api.PostAsync("auth/otp/verify", new { challengeId = challenge.GetProperty("challengeId").GetString(), code });
        return From(phone, session);
    }

    /// <summary>The session a refresh token continues (the token is single-use: the new pair is in the answer).</summary>
    public static async Task<Person> RefreshAsync(AtlasApi api, string phone, string refreshToken) =>
        From(phone, await api.PostAsync("auth/refresh", new { refreshToken }));

    /// <summary>A +1 555 number (a range kept for fiction) that no earlier run is likely to have used.</summary>
    public static string NewPhone() => $"+1555{Random.Shared.Next(0, 10_000_000):D7}";

    private static Person From(string phone, JsonElement session)
    {
        var user = session.GetProperty("user");
        return new Person(
            phone,
            user.GetProperty("id").GetString()!,
            user.GetProperty("role").GetString()!,
            session.GetProperty("accessToken").GetString()!,
            session.GetProperty("refreshToken").GetString()!);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
