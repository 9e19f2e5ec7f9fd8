//! The tokens of the modeling language, recognised by a `logos`-generated lexer.

use logos::Logos;

/// One token kind. Keywords are lexed as [`Tok::Ident`]; the parser treats them
/// contextually (see `parser::RESERVED`).
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
#[logos(skip r"/\*([^*]|\*+[^*/])*\*+/")]
pub enum Tok {
    /// `#include` is a preprocessor directive hazel does not support.
    #[regex(r"#include[^\n]*", priority = 10, allow_greedy = true)]
    Include,
    /// A `#` line comment (deprecated in Stan, still accepted).
    #[regex(r"#[^\n]*", logos::skip, allow_greedy = true)]
    HashComment,
    /// A `/*` that never closes.
    #[regex(r"/\*([^*]|\*+[^*/])*\**", priority = 1)]
    UnterminatedComment,
    #[regex(r"[a-zA-Z][a-zA-Z0-9_]*")]
    Ident,
    #[regex(r"[0-9]+(_[0-9]+)*")]
    IntLit,
    #[regex(r"([0-9]+\.[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")]
    #[regex(r"[0-9]+[eE][+-]?[0-9]+")]
    RealLit,
    #[regex(r"([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?i")]
    ImagLit,
    #[regex(r#""[^"\n]*""#)]
    StringLit,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("==")]
    EqEq,
    #[token("!=")]
    Ne,
    #[token("!")]
    Bang,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token(":")]
    Colon,
    #[token("?")]
    Question,
    #[token("|")]
    Bar,
    #[token("~")]
    Tilde,
    #[token("=")]
    Assign,
    #[token("+=")]
    PlusAssign,
    #[token("-=")]
    MinusAssign,
    #[token("*=")]
    TimesAssign,
    #[token("/=")]
    DivideAssign,
    #[token(".*=")]
    EltTimesAssign,
    #[token("./=")]
    EltDivideAssign,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("%/%")]
    IntDiv,
    #[token("\\")]
    Backslash,
    #[token(".*")]
    DotStar,
    #[token("./")]
    DotSlash,
    #[token("^")]
    Caret,
    #[token(".^")]
    DotCaret,
    #[token("'")]
    Quote,
    #[token("<-")]
    OldAssign,
    #[token("@")]
    At,
}

impl Tok {
    /// How the token reads in a message ("`;`", "a name").
    pub fn describe(self) -> &'static str {
        use Tok::*;
        match self {
            Include => "`#include`",
            HashComment => "a comment",
            UnterminatedComment => "an unterminated comment",
            Ident => "a name",
            IntLit => "an integer literal",
            RealLit => "a real literal",
            ImagLit => "an imaginary literal",
            StringLit => "a string",
            LBrace => "`{`",
            RBrace => "`}`",
            LParen => "`(`",
            RParen => "`)`",
            LBracket => "`[`",
            RBracket => "`]`",
            Lt => "`<`",
            Gt => "`>`",
            Le => "`<=`",
            Ge => "`>=`",
            EqEq => "`==`",
            Ne => "`!=`",
            Bang => "`!`",
            AndAnd => "`&&`",
            OrOr => "`||`",
            Comma => "`,`",
            Semi => "`;`",
            Colon => "`:`",
            Question => "`?`",
            Bar => "`|`",
            Tilde => "`~`",
            Assign => "`=`",
            PlusAssign => "`+=`",
            MinusAssign => "`-=`",
            TimesAssign => "`*=`",
            DivideAssign => "`/=`",
            EltTimesAssign => "`.*=`",
            EltDivideAssign => "`./=`",
            Plus => "`+`",
            Minus => "`-`",
            Star => "`*`",
            Slash => "`/`",
            Percent => "`%`",
            IntDiv => "`%/%`",
            Backslash => "`\\`",
            DotStar => "`.*`",
            DotSlash => "`./`",
            Caret => "`^`",
            DotCaret => "`.^`",
            Quote => "`'`",
            OldAssign => "`<-`",
            At => "`@`",
        }
    }
}
