using Atlas.Core.Auth;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Atlas.Functions.Auth;

/// <summary>
/// Issues and verifies access tokens: JWTs signed with HS256 under the current key (its id in the kid header),
/// verified by any configured key whose id matches the kid. Times come from the injected clock.
/// </summary>
public sealed class AccessTokens
{
    public const string TokenType = "at+jwt";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly AuthOptions _options;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, SymmetricSecurityKey> _keys;
    private readonly SigningCredentials _signing;
    private readonly TokenValidationParameters _validation;

    public AccessTokens(IOptions<AuthOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        _keys = _options.SigningKeys.ToDictionary(
            k => k.Id, k => new SymmetricSecurityKey(AuthOptionsValidation.Decode(k.Secret)) { KeyId = k.Id }, StringComparer.Ordinal);
        _signing = new SigningCredentials(_keys[_options.CurrentKeyId], SecurityAlgorithms.HmacSha256);
        _validation = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            ValidTypes = [TokenType],
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,

            // Only the key the kid names: an unknown kid fails instead of trying every key.
            IssuerSigningKeyResolver = (_, _, kid, _) => kid is not null && _keys.TryGetValue(kid, out var key) ? [key] : [],
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = _clock.GetUtcNow().UtcDateTime;
                return expires is { } exp && now < exp + ClockSkew && (notBefore is not { } nbf || nbf <= now + ClockSkew);
            },
        };
    }

    public TimeSpan Lifetime => _options.AccessTokenLifetime;

    public string Issue(Caller caller)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = caller.UserId,
            [JwtRegisteredClaimNames.Sid] = caller.SessionId,
            [JwtRegisteredClaimNames.PhoneNumber] = caller.Phone,
            [ClaimNames.Role] = RoleNames.ToText(caller.Role),
        };
        if (caller.CompanyId is not null && caller.MemberId is not null)
        {
            claims[ClaimNames.Company] = caller.CompanyId;
            claims[ClaimNames.Member] = caller.MemberId;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.AccessTokenLifetime,
            TokenType = TokenType,
            Claims = claims,
            SigningCredentials = _signing,
        });
    }

    /// <summary>The caller a token stands for, or null when it is not a valid token of ours, for any reason.</summary>
    public async Task<Caller?> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _validation);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        return Text(jwt, JwtRegisteredClaimNames.Sub) is { } user
            && Text(jwt, JwtRegisteredClaimNames.Sid) is { } session
            && Text(jwt, JwtRegisteredClaimNames.PhoneNumber) is { } phone
            && RoleNames.TryParse(Text(jwt, ClaimNames.Role), out var role)
            ? new Caller(user, session, phone, role, Text(jwt, ClaimNames.Company), Text(jwt, ClaimNames.Member))
            : null;
    }

    private static string? Text(JsonWebToken jwt, string claim) =>
        jwt.TryGetPayloadValue<string>(claim, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static class ClaimNames
    {
        public const string Role = "role";
        public const string Company = "company_id";
        public const string Member = "member_id";
    }
}
