/*
 * Functions banned in cyberwell (see STYLE.md section 4): each use becomes a
 * compile error. Every .c file includes it last, after the system headers
 * whose declarations it would otherwise break.
 */
#ifndef CYBERWELL_UTIL_BANNED_H
#define CYBERWELL_UTIL_BANNED_H

#define CW_BANNED(func) sorry_##func##_is_banned_in_cyberwell

#undef strcpy
#define strcpy(x, y) CW_BANNED(strcpy)
#undef strcat
#define strcat(x, y) CW_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) CW_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) CW_BANNED(strncat)
#undef sprintf
#define sprintf(...) CW_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CW_BANNED(vsprintf)
#undef gets
#define gets(x) CW_BANNED(gets)
#undef strtok
#define strtok(x, y) CW_BANNED(strtok)
#undef atoi
#define atoi(x) CW_BANNED(atoi)
#undef atol
#define atol(x) CW_BANNED(atol)
#undef atof
#define atof(x) CW_BANNED(atof)
#undef localtime
#define localtime(x) CW_BANNED(localtime)
#undef gmtime
#define gmtime(x) CW_BANNED(gmtime)
#undef mktemp
#define mktemp(x) CW_BANNED(mktemp)
#undef tmpnam
#define tmpnam(x) CW_BANNED(tmpnam)

#endif
