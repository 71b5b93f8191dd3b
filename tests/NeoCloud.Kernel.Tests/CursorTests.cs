namespace NeoCloud.Kernel.Tests;

public sealed class CursorTests
{
    [Theory]
    [InlineData("euw1-dc1-r01-n01")]
    [InlineData("euw1-dc1-r01-n01/gpu7")]
    [InlineData("ünïcødé")]
    public void A_cursor_decodes_to_the_key_it_was_made_from(string key)
    {
        Assert.True(Cursor.TryDecode(Cursor.Encode(key), out string? back));
        Assert.Equal(key, back);
    }

    [Fact]
    public void Text_that_is_not_a_cursor_is_refused()
    {
        Assert.False(Cursor.TryDecode("not*a*cursor!", out _));
    }

    [Fact]
    public void No_cursor_means_the_first_page()
    {
        Assert.True(Cursor.TryDecode(null, out string? key));
        Assert.Null(key);
    }
}
