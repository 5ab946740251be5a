<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR" sourcelanguage="en">
<context>
    <name>AbandonedModel</name>
    <message>
        <source>Unknown caller</source>
        <translation>Bilinmeyen arayan</translation>
    </message>
    <message>
        <source>{who} ({times} times)</source>
        <translation>{who} ({times} kez)</translation>
    </message>
    <message>
        <source>Called back</source>
        <translation>Geri arandı</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Geri ara</translation>
    </message>
    <message>
        <source>Call {who} back</source>
        <translation>{who} numarasını geri ara</translation>
    </message>
    <message>
        <source>The PBX did not send the caller&apos;s number.</source>
        <translation>Santral arayanın numarasını göndermedi.</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About {app}</source>
        <extracomment>Size of the icon in the dialog (logical px).</extracomment>
        <translation>{app} hakkında</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>Sürüm {version}</translation>
    </message>
    <message>
        <source>Caller popups and call tools for Kobikom PBX agents.</source>
        <translation>Kobikom santral kullanıcıları için arayan bilgisi ve arama araçları.</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>PySide6</source>
        <translation>PySide6</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Veri klasörü</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>Günlük klasörü</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>Ayar dosyası</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Aç</translation>
    </message>
    <message>
        <source>Proprietary software. Uses Qt and PySide6 under the GNU LGPL version 3.</source>
        <translation>Tescilli yazılım. Qt ve PySide6&apos;yı GNU LGPL sürüm 3 kapsamında kullanır.</translation>
    </message>
    <message>
        <source>Save support bundle…</source>
        <translation>Destek paketini kaydet…</translation>
    </message>
</context>
<context>
    <name>AccountCheck</name>
    <message>
        <source>The PBX reported no extensions.</source>
        <extracomment>Below this many SMS credits the check warns (the unit is not documented: the old API reports whole credits, the new one a decimal string). It works, but look at this (low SMS balance, extension not chosen yet). The event server closed the connection right after the login, silently. Skipped: it needs the login, which failed. REST connect timeout; reads get ``rest_read``. Whole login, and whole extension fetch. Event channel: TCP/TLS/WebSocket opening, quiet time that means &quot;accepted&quot;, and the whole check. The PBX&apos;s extensions (None: could not be fetched). SMS credits (None: not checked or unknown). How many of the PBX&apos;s extensions a &quot;not found&quot; message lists.</extracomment>
        <translation>Santral hiç dahili bildirmedi.</translation>
    </message>
    <message>
        <source>Type your extension below; your administrator or Kobikom&apos;s technical team can tell you which it is.</source>
        <translation>Dahilinizi aşağıya yazın; hangisi olduğunu yöneticiniz ya da Kobikom teknik ekibi söyleyebilir.</translation>
    </message>
    <message>
        <source>The PBX has {count} extensions.</source>
        <translation>Santralde {count} dahili var.</translation>
    </message>
    <message>
        <source>Pick yours from the list below.</source>
        <translation>Kendinizinkini aşağıdaki listeden seçin.</translation>
    </message>
    <message>
        <source>Extension {extension} is not on your PBX.</source>
        <translation>{extension} dahilisi santralinizde yok.</translation>
    </message>
    <message>
        <source>Pick your extension from the list below (the PBX has: {known}).</source>
        <translation>Dahilinizi aşağıdaki listeden seçin (santraldekiler: {known}).</translation>
    </message>
    <message>
        <source>The PBX reported no extensions; ask your administrator which extension is yours.</source>
        <translation>Santral hiç dahili bildirmedi; dahilinizin hangisi olduğunu yöneticinize sorun.</translation>
    </message>
    <message>
        <source>Extension {extension} found on the PBX.</source>
        <translation>{extension} dahilisi santralde bulundu.</translation>
    </message>
    <message>
        <source>The e-mail and password are not entered.</source>
        <translation>E-posta ve şifre girilmedi.</translation>
    </message>
    <message>
        <source>Enter them on the previous page.</source>
        <translation>Önceki sayfada girin.</translation>
    </message>
    <message>
        <source>{host} rejected the e-mail or password ({detail}).</source>
        <translation>{host} e-postayı ya da şifreyi kabul etmedi ({detail}).</translation>
    </message>
    <message>
        <source>Cannot reach {host} ({detail}).</source>
        <translation>{host} adresine ulaşılamıyor ({detail}).</translation>
    </message>
    <message>
        <source>Check the internet connection. If you changed the REST address under Advanced, check it (empty = Kobikom&apos;s). A firewall or proxy may be blocking the connection.</source>
        <translation>İnternet bağlantısını kontrol edin. Gelişmiş bölümünde REST adresini değiştirdiyseniz onu da kontrol edin (boş = Kobikom&apos;unki). Bir güvenlik duvarı ya da proxy bağlantıyı engelliyor olabilir.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted: {detail}.</source>
        <translation>Sunucunun sertifikasına güvenilmiyor: {detail}.</translation>
    </message>
    <message>
        <source>If your company uses its own certificate authority (e.g. a proxy that inspects HTTPS), choose its CA certificate under Advanced. Otherwise check the server address.</source>
        <translation>Şirketiniz kendi sertifika otoritesini kullanıyorsa (ör. HTTPS trafiğini inceleyen bir proxy), Gelişmiş bölümünde CA sertifikasını seçin. Aksi halde sunucu adresini kontrol edin.</translation>
    </message>
    <message>
        <source>{host} did not answer in time ({detail}).</source>
        <translation>{host} zamanında yanıt vermedi ({detail}).</translation>
    </message>
    <message>
        <source>Try again. If it keeps happening, check the connection or write to yazilim@kobikom.com.tr.</source>
        <translation>Tekrar deneyin. Tekrarlarsa bağlantıyı kontrol edin ya da yazilim@kobikom.com.tr adresine yazın.</translation>
    </message>
    <message>
        <source>{host} answered with an error: {detail}.</source>
        <translation>{host} hata ile yanıt verdi: {detail}.</translation>
    </message>
    <message>
        <source>Check the addresses under Advanced. If they are right, try again later or write to yazilim@kobikom.com.tr.</source>
        <translation>Gelişmiş bölümündeki adresleri kontrol edin. Doğruysa daha sonra tekrar deneyin ya da yazilim@kobikom.com.tr adresine yazın.</translation>
    </message>
    <message>
        <source>Use the e-mail and password you log in to the Kobikom panel with.</source>
        <translation>Kobikom paneline giriş yaptığınız e-posta ve şifreyi kullanın.</translation>
    </message>
    <message>
        <source>Use your KobiPBX API e-mail and password; Kobikom&apos;s technical team provides them.</source>
        <translation>KobiPBX API e-postanızı ve şifrenizi kullanın; bunları Kobikom teknik ekibi verir.</translation>
    </message>
    <message>
        <source>Kobikom switches the Tekil TCP socket on only on request: write to yazilim@kobikom.com.tr, or choose WebSocket under Advanced.</source>
        <translation>Kobikom, Tekil TCP soketini yalnızca talep üzerine açar: yazilim@kobikom.com.tr adresine yazın ya da Gelişmiş bölümünde WebSocket&apos;i seçin.</translation>
    </message>
    <message>
        <source>Copy the API key (&quot;API ANAHTARI&quot;) from your Kobikom panel again.</source>
        <translation>API anahtarını (&quot;API ANAHTARI&quot;) Kobikom panelinizden yeniden kopyalayın.</translation>
    </message>
    <message>
        <source>Check the domain UUID; Kobikom&apos;s technical team provides it.</source>
        <translation>Domain UUID&apos;yi kontrol edin; Kobikom teknik ekibi verir.</translation>
    </message>
    <message>
        <source>Signed in to {host} as {user}.</source>
        <translation>{host} adresine {user} olarak giriş yapıldı.</translation>
    </message>
    <message>
        <source>Not checked: signing in failed.</source>
        <translation>Kontrol edilmedi: giriş başarısız.</translation>
    </message>
    <message>
        <source>The domain UUID is not entered.</source>
        <translation>Domain UUID girilmedi.</translation>
    </message>
    <message>
        <source>Enter it on the previous page; Kobikom&apos;s technical team provides it.</source>
        <translation>Önceki sayfada girin; Kobikom teknik ekibi verir.</translation>
    </message>
    <message>
        <source>KobiPBX does not know this domain UUID ({detail}).</source>
        <translation>KobiPBX bu domain UUID&apos;yi tanımıyor ({detail}).</translation>
    </message>
    <message>
        <source>The API key is not entered.</source>
        <translation>API anahtarı girilmedi.</translation>
    </message>
    <message>
        <source>Enter it on the previous page.</source>
        <translation>Önceki sayfada girin.</translation>
    </message>
    <message>
        <source>Connected to {host}; the server accepted the login.</source>
        <translation>{host} adresine bağlanıldı; sunucu girişi kabul etti.</translation>
    </message>
    <message>
        <source>Connected to {host}; the server did not object to the login within {seconds} s.</source>
        <translation>{host} adresine bağlanıldı; sunucu {seconds} sn içinde girişe itiraz etmedi.</translation>
    </message>
    <message>
        <source>The live event server rejected the domain UUID ({detail}).</source>
        <translation>Anlık olay sunucusu domain UUID&apos;yi kabul etmedi ({detail}).</translation>
    </message>
    <message>
        <source>The live event server rejected the panel login ({detail}).</source>
        <translation>Anlık olay sunucusu panel girişini kabul etmedi ({detail}).</translation>
    </message>
    <message>
        <source>The live event server rejected the API key ({detail}).</source>
        <translation>Anlık olay sunucusu API anahtarını kabul etmedi ({detail}).</translation>
    </message>
    <message>
        <source>{host} closed the connection right after the login ({detail}).</source>
        <translation>{host} girişten hemen sonra bağlantıyı kapattı ({detail}).</translation>
    </message>
    <message>
        <source>Cannot reach the live event server {host} ({detail}).</source>
        <translation>Anlık olay sunucusuna ({host}) ulaşılamıyor ({detail}).</translation>
    </message>
    <message>
        <source>Check the internet connection, and the server and port under Advanced (empty = Kobikom&apos;s). Firewalls often block port {port}.</source>
        <translation>İnternet bağlantısını ve Gelişmiş bölümündeki sunucu ile portu kontrol edin (boş = Kobikom&apos;unki). Güvenlik duvarları {port} portunu sıklıkla engeller.</translation>
    </message>
    <message>
        <source>The live event server {host} failed: {detail}.</source>
        <translation>Anlık olay sunucusu ({host}) hata verdi: {detail}.</translation>
    </message>
    <message>
        <source>No SMS token entered (optional).</source>
        <translation>SMS token&apos;ı girilmedi (isteğe bağlı).</translation>
    </message>
    <message>
        <source>In the SMS panel, open Ayarlar (Settings) → SMS API and copy the key again.</source>
        <translation>SMS panelinde Ayarlar → SMS API menüsünü açıp anahtarı yeniden kopyalayın.</translation>
    </message>
    <message>
        <source>In the SMS panel, open Ayarlar (Settings) → SMS API and copy the token again.</source>
        <translation>SMS panelinde Ayarlar → SMS API menüsünü açıp token&apos;ı yeniden kopyalayın.</translation>
    </message>
    <message>
        <source>The SMS service rejected the token ({detail}).</source>
        <translation>SMS servisi token&apos;ı kabul etmedi ({detail}).</translation>
    </message>
    <message>
        <source>SMS token accepted.</source>
        <translation>SMS token&apos;ı kabul edildi.</translation>
    </message>
    <message>
        <source>SMS token accepted, but the balance is low: {balance}.</source>
        <translation>SMS token&apos;ı kabul edildi, ancak bakiye düşük: {balance}.</translation>
    </message>
    <message>
        <source>Top up your SMS balance in the Kobikom SMS panel.</source>
        <translation>SMS bakiyenizi Kobikom SMS panelinden yükleyin.</translation>
    </message>
    <message>
        <source>SMS token accepted; balance: {balance}.</source>
        <translation>SMS token&apos;ı kabul edildi; bakiye: {balance}.</translation>
    </message>
</context>
<context>
    <name>AccountForm</name>
    <message>
        <source>Tekil Santral</source>
        <extracomment>Field rows and the settings keys they edit (locks name keys). The TLS choice for WebSocket, kept while TCP is selected.</extracomment>
        <translation>Tekil Santral</translation>
    </message>
    <message>
        <source>Bulut Santral (KobiPBX)</source>
        <translation>Bulut Santral (KobiPBX)</translation>
    </message>
    <message>
        <source>Account type:</source>
        <translation>Hesap türü:</translation>
    </message>
    <message>
        <source>e.g. 1001</source>
        <translation>ör. 1001</translation>
    </message>
    <message>
        <source>Your extension(s):</source>
        <translation>Dahili(ler):</translation>
    </message>
    <message>
        <source>The internal number of your desk phone or softphone. Several: separate them with commas (1001, 1002).</source>
        <translation>Masa telefonunuzun ya da softphone&apos;unuzun dahili numarası. Birden fazlaysa virgülle ayırın (1001, 1002).</translation>
    </message>
    <message>
        <source>name@company.com.tr</source>
        <translation>ad@sirket.com.tr</translation>
    </message>
    <message>
        <source>Login e-mail:</source>
        <translation>Giriş e-postası:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Şifre:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API anahtarı:</translation>
    </message>
    <message>
        <source>The &quot;API ANAHTARI&quot; (API key) shown in your Kobikom panel. Used to log in to the live call events.</source>
        <translation>Kobikom panelinizde görünen &quot;API ANAHTARI&quot;. Anlık çağrı olaylarına giriş için kullanılır.</translation>
    </message>
    <message>
        <source>Domain UUID:</source>
        <translation>Domain UUID:</translation>
    </message>
    <message>
        <source>Provided by Kobikom&apos;s technical team. It is the only key to your company&apos;s live call events: keep it private.</source>
        <translation>Kobikom teknik ekibi verir. Şirketinizin anlık çağrı olaylarının tek anahtarıdır: kimseyle paylaşmayın.</translation>
    </message>
    <message>
        <source>Log in to the Tekil WebSocket with the panel token instead of the API key</source>
        <translation>Tekil WebSocket&apos;e API anahtarı yerine panel token&apos;ı ile giriş yap</translation>
    </message>
    <message>
        <source>The token comes from logging in with the e-mail and password above.</source>
        <translation>Token, yukarıdaki e-posta ve şifreyle giriş yapılarak alınır.</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>Live events over:</source>
        <translation>Anlık olaylar için:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Sunucu:</translation>
    </message>
    <message>
        <source>Leave empty for Kobikom&apos;s server (shown in grey).</source>
        <translation>Kobikom&apos;un sunucusu için boş bırakın (gri gösterilir).</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Encrypted connection (TLS, wss://)</source>
        <translation>Şifreli bağlantı (TLS, wss://)</translation>
    </message>
    <message>
        <source>Security:</source>
        <translation>Güvenlik:</translation>
    </message>
    <message>
        <source>None (the system&apos;s certificates)</source>
        <translation>Yok (sistemin sertifikaları)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Gözat…</translation>
    </message>
    <message>
        <source>CA certificate:</source>
        <translation>CA sertifikası:</translation>
    </message>
    <message>
        <source>Optional, only for a private or test certificate authority (PEM file). Certificates are always verified.</source>
        <translation>İsteğe bağlı; yalnızca özel ya da test sertifika otoritesi için (PEM dosyası). Sertifikalar her zaman doğrulanır.</translation>
    </message>
    <message>
        <source>REST address:</source>
        <translation>REST adresi:</translation>
    </message>
    <message>
        <source>The panel API used for calls, history and the phonebook. Leave empty for Kobikom&apos;s (shown in grey).</source>
        <translation>Arama, geçmiş ve rehber için kullanılan panel API&apos;si. Kobikom&apos;unki için boş bırakın (gri gösterilir).</translation>
    </message>
    <message>
        <source>Tekil Santral: your own PBX, managed in the Kobikom panel.</source>
        <translation>Tekil Santral: Kobikom panelinden yönetilen kendi santraliniz.</translation>
    </message>
    <message>
        <source>The e-mail you log in to the Kobikom panel with.</source>
        <translation>Kobikom paneline giriş yaptığınız e-posta.</translation>
    </message>
    <message>
        <source>Your panel password. Used for calls from the app, call history and the PBX phonebook.</source>
        <translation>Panel şifreniz. Uygulamadan arama, arama geçmişi ve santral rehberi için kullanılır.</translation>
    </message>
    <message>
        <source>Bulut Santral: the KobiPBX cloud PBX (api.kobipbx.com).</source>
        <translation>Bulut Santral: KobiPBX bulut santrali (api.kobipbx.com).</translation>
    </message>
    <message>
        <source>Your KobiPBX login e-mail; the credentials come from Kobikom&apos;s technical team.</source>
        <translation>KobiPBX giriş e-postanız; giriş bilgilerini Kobikom teknik ekibi verir.</translation>
    </message>
    <message>
        <source>Your KobiPBX password. Used for calls from the app and call history.</source>
        <translation>KobiPBX şifreniz. Uygulamadan arama ve arama geçmişi için kullanılır.</translation>
    </message>
    <message>
        <source>The Tekil TCP service must first be enabled by Kobikom: ask yazilim@kobikom.com.tr. WebSocket works without that.</source>
        <translation>Tekil TCP servisini önce Kobikom&apos;un açması gerekir: yazilim@kobikom.com.tr adresine yazın. WebSocket buna gerek duymaz.</translation>
    </message>
    <message>
        <source>TCP is the usual choice for desktop apps.</source>
        <translation>Masaüstü uygulamaları için genellikle TCP seçilir.</translation>
    </message>
    <message>
        <source>Use WebSocket if your network blocks other ports.</source>
        <translation>Ağınız diğer portları engelliyorsa WebSocket kullanın.</translation>
    </message>
    <message>
        <source>{value} (default)</source>
        <translation>{value} (varsayılan)</translation>
    </message>
    <message>
        <source>The TCP services are not encrypted.</source>
        <translation>TCP servisleri şifreli değildir.</translation>
    </message>
    <message>
        <source>Without TLS, Tekil&apos;s WebSocket listens on port 8088 (with TLS: 8098).</source>
        <translation>Tekil WebSocket TLS olmadan 8088 portunu dinler (TLS ile: 8098).</translation>
    </message>
    <message>
        <source>KobiPBX&apos;s WebSocket is always encrypted.</source>
        <translation>KobiPBX WebSocket bağlantısı her zaman şifrelidir.</translation>
    </message>
    <message>
        <source>Choose a CA certificate</source>
        <translation>CA sertifikası seçin</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>Sertifikalar (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tüm dosyalar (*)</translation>
    </message>
    <message>
        <source>“{value}” is not an extension number: use digits only, separated by commas.</source>
        <translation>“{value}” bir dahili numara değil: yalnızca rakam kullanın, virgülle ayırın.</translation>
    </message>
    <message>
        <source>Enter your extension to get call popups.</source>
        <translation>Arama açılır pencereleri için dahilinizi girin.</translation>
    </message>
    <message>
        <source>Bulut Santral accounts need the domain UUID to receive calls.</source>
        <translation>Bulut Santral hesaplarının arama alabilmesi için domain UUID gerekir.</translation>
    </message>
    <message>
        <source>This does not look like a UUID (8-4-4-4-12 hexadecimal digits). Check it with Kobikom if calls do not arrive.</source>
        <translation>Bu bir UUID&apos;ye benzemiyor (8-4-4-4-12 onaltılık basamak). Aramalar gelmezse Kobikom ile kontrol edin.</translation>
    </message>
    <message>
        <source>This does not look like an e-mail address.</source>
        <translation>Bu bir e-posta adresine benzemiyor.</translation>
    </message>
    <message>
        <source>The {name} environment variable is set and is used instead.</source>
        <translation>{name} ortam değişkeni tanımlı; onun değeri kullanılıyor.</translation>
    </message>
    <message>
        <source>Enter only a host name or IP address (no “wss://”, no port, no spaces).</source>
        <translation>Yalnızca sunucu adı ya da IP adresi girin (“wss://”, port ve boşluk olmadan).</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535 (empty: the default).</source>
        <translation>Port 1 ile 65535 arasında bir sayı olmalı (boş: varsayılan).</translation>
    </message>
    <message>
        <source>There is no such file.</source>
        <translation>Böyle bir dosya yok.</translation>
    </message>
    <message>
        <source>Enter a full address such as https://panelapi.kobikom.com.tr (empty: the default).</source>
        <translation>https://panelapi.kobikom.com.tr gibi tam bir adres girin (boş: varsayılan).</translation>
    </message>
</context>
<context>
    <name>AccountPage</name>
    <message>
        <source>Change them anyway</source>
        <translation>Yine de değiştir</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API anahtarı</translation>
    </message>
    <message>
        <source>SMS API token (optional)</source>
        <translation>SMS API token&apos;ı (isteğe bağlı)</translation>
    </message>
    <message>
        <source>Only for sending SMS. In the Kobikom SMS panel: Ayarlar (Settings) → SMS API.</source>
        <translation>Yalnızca SMS göndermek için. Kobikom SMS panelinde: Ayarlar → SMS API.</translation>
    </message>
    <message>
        <source>Advanced connection settings</source>
        <translation>Gelişmiş bağlantı ayarları</translation>
    </message>
    <message>
        <source>New SMS API (sms.kobikom.com.tr)</source>
        <translation>Yeni SMS API (sms.kobikom.com.tr)</translation>
    </message>
    <message>
        <source>Old SMS API (smspaneli.kobikom.com.tr)</source>
        <translation>Eski SMS API (smspaneli.kobikom.com.tr)</translation>
    </message>
    <message>
        <source>SMS service</source>
        <translation>SMS servisi</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Bağlantıyı test et</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-posta</translation>
    </message>
    <message>
        <source>password</source>
        <translation>şifre</translation>
    </message>
    <message>
        <source>domain UUID</source>
        <translation>domain UUID</translation>
    </message>
    <message>
        <source>a valid port</source>
        <translation>geçerli bir port</translation>
    </message>
    <message>
        <source>Still needed: {fields}.</source>
        <translation>Eksik: {fields}.</translation>
    </message>
</context>
<context>
    <name>AccountSetup</name>
    <message>
        <source>The settings file cannot be used</source>
        <extracomment>Wait this long after start before the first-run wizard opens (the tray first).</extracomment>
        <translation>Ayar dosyası kullanılamıyor</translation>
    </message>
    <message>
        <source>{problem}
Set up the account here; saving replaces the file.</source>
        <translation>{problem}
Hesabı burada kurun; kaydetmek dosyanın yerine geçer.</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>Ayar dosyası</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>Settings file</source>
        <extracomment>How often, and how many times, to look again for the tray icon&apos;s place while the tray host has not embedded it yet (the log line is what the end-to-end tests click). The administrator&apos;s machine-wide policy (defaults and locks), read once. The account&apos;s REST session, shared by every feature.</extracomment>
        <translation>Ayar dosyası</translation>
    </message>
    <message>
        <source>Some settings were ignored</source>
        <translation>Bazı ayarlar yok sayıldı</translation>
    </message>
    <message>
        <source>Telephone links</source>
        <translation>Telefon bağlantıları</translation>
    </message>
    <message>
        <source>Recent calls…</source>
        <translation>Son aramalar…</translation>
    </message>
    <message>
        <source>Missed calls…</source>
        <translation>Cevapsız aramalar…</translation>
    </message>
    <message>
        <source>Send SMS…</source>
        <translation>SMS gönder…</translation>
    </message>
    <message>
        <source>SMS history…</source>
        <translation>SMS geçmişi…</translation>
    </message>
    <message>
        <source>Set up account…</source>
        <translation>Hesabı kur…</translation>
    </message>
    <message>
        <source>Softphone QR code…</source>
        <translation>Softphone QR kodu…</translation>
    </message>
    <message>
        <source>not set up yet: open Settings… or try Demo mode</source>
        <translation>henüz kurulmadı: Ayarlar… veya Demo modu</translation>
    </message>
    <message>
        <source>Kobikom Desktop is already running.</source>
        <translation>Kobikom Desktop zaten çalışıyor.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ayarlar</translation>
    </message>
    <message>
        <source>The settings window is not available.</source>
        <translation>Ayarlar penceresi kullanılamıyor.</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kişiler</translation>
    </message>
    <message>
        <source>The contacts window is not available.</source>
        <translation>Kişiler penceresi kullanılamıyor.</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Beklenmeyen hata</translation>
    </message>
    <message>
        <source>Something went wrong: {0}

Details are in the log file:
{1}</source>
        <translation>Bir sorun oluştu: {0}

Ayrıntılar günlük dosyasında:
{1}</translation>
    </message>
</context>
<context>
    <name>Board</name>
    <message>
        <source>Ext.</source>
        <extracomment>Text of rows nobody can call right now (offline, no news). The roles the colleagues&apos; table answers (every other one is None at once).</extracomment>
        <translation>Dahili</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ad</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>With</source>
        <translation>Kiminle</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Süre</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Temsilci</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Kuyruk</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numara</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Bekleyen</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>En uzun bekleme</translation>
    </message>
    <message>
        <source>Ready agents</source>
        <translation>Hazır temsilci</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Arayan</translation>
    </message>
    <message>
        <source>Waited so far</source>
        <translation>Bekleme süresi</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>Call state</source>
        <translation>Çağrı durumu</translation>
    </message>
    <message>
        <source>Gave up at</source>
        <translation>Kapatma saati</translation>
    </message>
    <message>
        <source>Waited</source>
        <translation>Bekledi</translation>
    </message>
    <message>
        <source>No news yet</source>
        <extracomment>Translation context of this module&apos;s texts.</extracomment>
        <translation>Bilgi yok</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Çevrim dışı</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Boşta</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Çalıyor</translation>
    </message>
    <message>
        <source>In a call</source>
        <translation>Görüşmede</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>Beklemede</translation>
    </message>
    <message>
        <source>Extension not found</source>
        <translation>Dahili bulunamadı</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Müsait</translation>
    </message>
    <message>
        <source>Available (on demand)</source>
        <translation>Müsait (isteğe bağlı)</translation>
    </message>
    <message>
        <source>On break</source>
        <translation>Molada</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>Oturum kapalı</translation>
    </message>
    <message>
        <source>Waiting for a call</source>
        <translation>Çağrı bekliyor</translation>
    </message>
    <message>
        <source>Being offered a call</source>
        <translation>Çağrı geliyor</translation>
    </message>
    <message>
        <source>In a queue call</source>
        <translation>Kuyruk çağrısında</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Pasif</translation>
    </message>
    <message>
        <source>Calling {who}</source>
        <extracomment>The state dot&apos;s colour per presence. Logical size of the board&apos;s small icons.</extracomment>
        <translation>{who} aranıyor</translation>
    </message>
    <message>
        <source>Call from {who}</source>
        <translation>{who} arıyor</translation>
    </message>
    <message>
        <source>In a call with {who}</source>
        <translation>{who} ile görüşmede</translation>
    </message>
</context>
<context>
    <name>BoardService</name>
    <message>
        <source>&amp;Team and queues…</source>
        <extracomment>The widgets follow the events at most this often (ms) while they arrive: twice a second reads as live on a board, and halves the folding and painting of 4 Hz (bench_board: 17.2 -&gt; 4.5-6.5 ms of GUI work per second of events). Durations move on this often while the board or the strip is visible (ms). Events held while the team list is read. The team list is read again when the board opens and it is older than this (s). A quiet refresh of the line retries a team list that failed this long ago (s). Events not folded yet (at most one FLUSH_MS&apos;s worth, or those that came while the team list was read).</extracomment>
        <translation>&amp;Ekip ve kuyruklar…</translation>
    </message>
    <message>
        <source>Queue strip on top</source>
        <translation>Kuyruk şeridi en üstte</translation>
    </message>
    <message>
        <source>the team list could not be read: {why}</source>
        <extracomment>Flushes so far (diagnostics, the benchmark).</extracomment>
        <translation>ekip listesi okunamadı: {why}</translation>
    </message>
    <message>
        <source>Only the Tekil Santral WebSocket connection can transfer calls.</source>
        <translation>Çağrıları yalnızca Tekil Santral WebSocket bağlantısı aktarabilir.</translation>
    </message>
    <message>
        <source>Not connected to the PBX.</source>
        <translation>Santrale bağlı değil.</translation>
    </message>
    <message>
        <source>You have no call to transfer.</source>
        <translation>Aktarılacak bir çağrınız yok.</translation>
    </message>
    <message>
        <source>Transfer failed</source>
        <translation>Aktarma başarısız</translation>
    </message>
    <message>
        <source>The call was not transferred to {extension}: {why}</source>
        <translation>Çağrı {extension} dahilisine aktarılmadı: {why}</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>neden belirtilmedi</translation>
    </message>
</context>
<context>
    <name>BoardStrip</name>
    <message>
        <source>Board</source>
        <extracomment>The window&apos;s first size (logical px). Queues the strip names one by one; more are summed up.</extracomment>
        <translation>Pano</translation>
    </message>
    <message>
        <source>Open the team and queue board</source>
        <translation>Ekip ve kuyruk panosunu aç</translation>
    </message>
    <message>
        <source>Dock</source>
        <translation>Yerleştir</translation>
    </message>
    <message>
        <source>Undock</source>
        <translation>Ayır</translation>
    </message>
    <message>
        <source>Put the strip back into the board window</source>
        <translation>Şeridi pano penceresine geri koy</translation>
    </message>
    <message>
        <source>Keep this strip on top of every window</source>
        <translation>Bu şerit her pencerenin üstünde kalsın</translation>
    </message>
    <message>
        <source>{count} more queues: {waiting} waiting</source>
        <translation>{count} kuyruk daha: {waiting} bekleyen</translation>
    </message>
    <message>
        <source>No queues</source>
        <translation>Kuyruk yok</translation>
    </message>
    <message>
        <source>Team: {free} free, {busy} busy, {off} offline</source>
        <translation>Ekip: {free} boşta, {busy} meşgul, {off} çevrim dışı</translation>
    </message>
    <message>
        <source>{queue}: {count} waiting, longest {time}</source>
        <translation>{queue}: {count} bekleyen, en uzun {time}</translation>
    </message>
    <message>
        <source>{queue}: {count} waiting</source>
        <translation>{queue}: {count} bekleyen</translation>
    </message>
</context>
<context>
    <name>BoardWindow</name>
    <message>
        <source>Team and queues – Kobikom Desktop</source>
        <translation>Ekip ve kuyruklar – Kobikom Desktop</translation>
    </message>
    <message>
        <source>Search by name or extension</source>
        <translation>Ad veya dahili numarayla arayın</translation>
    </message>
    <message>
        <source>Colleagues</source>
        <translation>Ekip arkadaşları</translation>
    </message>
    <message>
        <source>Callers waiting</source>
        <translation>Bekleyen arayanlar</translation>
    </message>
    <message>
        <source>Agents of the selected queue</source>
        <translation>Seçili kuyruğun temsilcileri</translation>
    </message>
    <message>
        <source>Gave up waiting today</source>
        <translation>Bugün beklerken kapatanlar</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Kuyruklar</translation>
    </message>
    <message>
        <source>Queue not named</source>
        <translation>Adı bildirilmeyen kuyruk</translation>
    </message>
    <message>
        <source>{shown} of {count} colleagues</source>
        <translation>{shown} / {count} ekip arkadaşı</translation>
    </message>
    <message>
        <source>{count} colleagues</source>
        <translation>{count} ekip arkadaşı</translation>
    </message>
    <message>
        <source>Queues – Kobikom Desktop</source>
        <translation>Kuyruklar – Kobikom Desktop</translation>
    </message>
</context>
<context>
    <name>CallDirection</name>
    <message>
        <source>Missed call</source>
        <translation>Cevapsız arama</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Gelen arama</translation>
    </message>
    <message>
        <source>Outgoing call</source>
        <translation>Giden arama</translation>
    </message>
    <message>
        <source>Internal call</source>
        <translation>Dahili arama</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Arama</translation>
    </message>
</context>
<context>
    <name>CallHistory</name>
    <message>
        <source>Calls from while the app was offline could not be fetched</source>
        <extracomment>While connected, the journal&apos;s &quot;complete until&quot; mark is persisted this long after a call change (ms; one write for all the changes in between, none while quiet). Wait this long after an answered call ended before asking for its record (s). Coalesce bursts of call changes before the open window re-queries (ms).</extracomment>
        <translation>Uygulama kapalıyken gelen aramalar alınamadı</translation>
    </message>
    <message>
        <source>1 call was missed while the app was offline.</source>
        <translation>Uygulama kapalıyken 1 arama cevapsız kaldı.</translation>
    </message>
    <message>
        <source>{0} calls were missed while the app was offline.</source>
        <translation>Uygulama kapalıyken {0} arama cevapsız kaldı.</translation>
    </message>
    <message>
        <source>Missed calls</source>
        <translation>Cevapsız aramalar</translation>
    </message>
    <message>
        <source>The recording is incomplete</source>
        <translation>Ses kaydı eksik</translation>
    </message>
    <message>
        <source>Only {0} of {1} arrived. Try again later.</source>
        <translation>{1} uzunluğundaki kaydın yalnızca {0} kadarı geldi. Daha sonra tekrar deneyin.</translation>
    </message>
    <message>
        <source>Try again later.</source>
        <translation>Daha sonra tekrar deneyin.</translation>
    </message>
    <message>
        <source>The server did not send a recording</source>
        <translation>Sunucu ses kaydı göndermedi</translation>
    </message>
    <message>
        <source>What arrived is not an audio file.</source>
        <translation>Gelen dosya bir ses dosyası değil.</translation>
    </message>
    <message>
        <source>The recording is damaged</source>
        <translation>Ses kaydı bozuk</translation>
    </message>
    <message>
        <source>No recording</source>
        <translation>Ses kaydı yok</translation>
    </message>
    <message>
        <source>The PBX has no recording of this call.</source>
        <translation>Santralde bu aramanın ses kaydı yok.</translation>
    </message>
    <message>
        <source>This call is not in the call history.</source>
        <translation>Bu arama, arama geçmişinde yok.</translation>
    </message>
    <message>
        <source>Recordings need the PBX account</source>
        <translation>Ses kayıtları için santral hesabı gerekir</translation>
    </message>
    <message>
        <source>Enter the panel e-mail and password in Settings.</source>
        <translation>Panel e-postasını ve şifresini Ayarlar&apos;a girin.</translation>
    </message>
    <message>
        <source>The recording could not be downloaded</source>
        <translation>Ses kaydı indirilemedi</translation>
    </message>
    <message>
        <source>The recording is not available</source>
        <translation>Ses kaydı kullanılamıyor</translation>
    </message>
</context>
<context>
    <name>CallerPopup</name>
    <message>
        <source>Add to contacts</source>
        <extracomment>Seconds an ended (not missed) call&apos;s popup stays before closing itself. The call timer ticks on whole seconds of talk time. Lines of notes shown before eliding (the full text is in the tooltip).</extracomment>
        <translation>Rehbere ekle</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Geri ara</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>Play recording</source>
        <translation>Kaydı dinle</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Aktar</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>Sonlandır</translation>
    </message>
    <message>
        <source>Open in CRM</source>
        <translation>CRM&apos;de aç</translation>
    </message>
    <message>
        <source>Number not sent</source>
        <translation>Numara iletilmedi</translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation>Gizli numara</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Bilinmeyen arayan</translation>
    </message>
    <message>
        <source>withheld</source>
        <translation>gizli</translation>
    </message>
    <message numerus="yes">
        <source>Called once before</source>
        <translation>
            <numerusform>Daha önce 1 arama</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before</source>
        <translation>
            <numerusform>Daha önce %n arama</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last today at {time}</source>
        <translation>
            <numerusform>Daha önce 1 arama, bugün {time}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last today at {time}</source>
        <translation>
            <numerusform>Daha önce %n arama, en son bugün {time}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last yesterday at {time}</source>
        <translation>
            <numerusform>Daha önce 1 arama, dün {time}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last yesterday at {time}</source>
        <translation>
            <numerusform>Daha önce %n arama, en son dün {time}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last on {date}</source>
        <translation>
            <numerusform>Daha önce 1 arama, {date}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last on {date}</source>
        <translation>
            <numerusform>Daha önce %n arama, en son {date}</numerusform>
        </translation>
    </message>
    <message>
        <source>Queue: {queue}</source>
        <translation>Kuyruk: {queue}</translation>
    </message>
    <message>
        <source>To {number}</source>
        <translation>Aranan: {number}</translation>
    </message>
    <message>
        <source>company directory</source>
        <translation>şirket rehberi</translation>
    </message>
    <message>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <source>Looking up the name…</source>
        <translation>Ad aranıyor…</translation>
    </message>
    <message>
        <source>Internal call</source>
        <translation>Dahili arama</translation>
    </message>
    <message>
        <source>The PBX did not send the caller&apos;s number</source>
        <translation>Santral arayanın numarasını iletmedi</translation>
    </message>
    <message>
        <source>The caller withheld the number</source>
        <translation>Arayan numarasını gizledi</translation>
    </message>
    <message>
        <source>Unknown number</source>
        <translation>Bilinmeyen numara</translation>
    </message>
    <message>
        <source>Caller ID name: {name}</source>
        <translation>Arayan adı: {name}</translation>
    </message>
    <message>
        <source>Kobikom – {number}</source>
        <translation>Kobikom – {number}</translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation>Aranıyor…</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Gelen arama</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>Görüşmede</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>Beklemede</translation>
    </message>
    <message>
        <source>Passed on to a colleague</source>
        <translation>Bir iş arkadaşına aktarıldı</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>Cevapsız arama</translation>
    </message>
    <message>
        <source>Answered by a colleague</source>
        <translation>Başka dahili cevapladı</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Cevaplanmadı</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>Arama sona erdi</translation>
    </message>
</context>
<context>
    <name>CapturePage</name>
    <message>
        <source>Record what the PBX sends (for Kobikom support)</source>
        <translation>Santralin gönderdiklerini kaydet (Kobikom desteği için)</translation>
    </message>
    <message>
        <source>Every message of the call connection is saved in the log folder, for the support bundle. Passwords, keys and the domain UUID are never saved.</source>
        <translation>Çağrı bağlantısının her mesajı, destek paketi için günlük klasörüne kaydedilir. Parolalar, anahtarlar ve domain UUID asla kaydedilmez.</translation>
    </message>
    <message>
        <source>Keep phone numbers in the recording</source>
        <translation>Kayıtta telefon numaralarını sakla</translation>
    </message>
    <message>
        <source>Without this tick, phone numbers are masked (05•••••••67). Tick it only when support asks for them: the recording then holds your callers&apos; numbers.</source>
        <translation>İşaretlenmezse telefon numaraları gizlenir (05•••••••67). Yalnızca destek ekibi isterse işaretleyin: kayıt o zaman arayanlarınızın numaralarını da içerir.</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>Keep at most:</source>
        <translation>En fazla sakla:</translation>
    </message>
    <message>
        <source>The oldest part of the recording is removed beyond this size.</source>
        <translation>Bu boyut aşılınca kaydın en eski kısmı silinir.</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>Tanılama</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Test connection</source>
        <translation>Bağlantıyı test et</translation>
    </message>
    <message>
        <source>Kobikom Desktop now talks to the real servers with the details you entered.</source>
        <translation>Kobikom Desktop şimdi girdiğiniz bilgilerle gerçek sunuculara bağlanıyor.</translation>
    </message>
    <message>
        <source>Test again</source>
        <translation>Tekrar test et</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Giriş</translation>
    </message>
    <message>
        <source>Live call events</source>
        <translation>Anlık çağrı olayları</translation>
    </message>
    <message>
        <source>Your extension</source>
        <translation>Dahiliniz</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>e.g. 1001</source>
        <translation>ör. 1001</translation>
    </message>
    <message>
        <source>The internal number of your desk phone or softphone: pick it from the list the PBX sent, or type it.</source>
        <translation>Masa telefonunuzun ya da softphone&apos;unuzun dahili numarası: santralin gönderdiği listeden seçin ya da yazın.</translation>
    </message>
    <message>
        <source>Save and connect</source>
        <translation>Kaydet ve bağlan</translation>
    </message>
</context>
<context>
    <name>CheckRow</name>
    <message>
        <source>Not tested yet.</source>
        <extracomment>How-to-fix lines: darker than the grey help notes (they matter more).</extracomment>
        <translation>Henüz test edilmedi.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Kontrol ediliyor…</translation>
    </message>
</context>
<context>
    <name>ClickToCallBridge</name>
    <message>
        <source>Dial…</source>
        <extracomment>The dialer&apos;s keyboard shortcut while any window of the app is active. How long after the settings file changed it is read again (ms): saving writes a temporary file and renames it, which fires several notifications.</extracomment>
        <translation>Numara çevir…</translation>
    </message>
    <message>
        <source>Dial number from clipboard</source>
        <translation>Panodaki numarayı ara</translation>
    </message>
    <message>
        <source>Nothing to call</source>
        <translation>Aranacak numara yok</translation>
    </message>
    <message>
        <source>The clipboard holds no text.</source>
        <translation>Panoda metin yok.</translation>
    </message>
    <message>
        <source>Calling {number}</source>
        <translation>{number} aranıyor</translation>
    </message>
    <message>
        <source>Your phone ({extension}) is ringing; then {number} will be called.</source>
        <translation>Telefonunuz ({extension}) çalıyor; ardından {number} aranacak.</translation>
    </message>
    <message>
        <source>The call was sent to the PBX; your phone ({extension}) should ring first.</source>
        <translation>Arama santrale iletildi; önce telefonunuz ({extension}) çalmalı.</translation>
    </message>
    <message>
        <source>The PBX did not place the call: {reason}</source>
        <translation>Santral aramayı başlatmadı: {reason}</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>neden belirtilmedi</translation>
    </message>
    <message>
        <source>Call not placed</source>
        <translation>Arama yapılamadı</translation>
    </message>
    <message>
        <source>The call may have started</source>
        <translation>Arama başlamış olabilir</translation>
    </message>
    <message>
        <source>The server did not answer in time; the call may have started — check your phone before trying again.</source>
        <translation>Sunucu zamanında yanıt vermedi; arama başlamış olabilir. Tekrar denemeden önce telefonunuza bakın.</translation>
    </message>
    <message>
        <source>The server reported an error; the call may have started — check your phone before trying again.</source>
        <translation>Sunucu hata bildirdi; arama başlamış olabilir. Tekrar denemeden önce telefonunuza bakın.</translation>
    </message>
    <message>
        <source>Could not reach the PBX, so nothing was dialled. Check the connection and try again.</source>
        <translation>Santrale ulaşılamadı, arama yapılmadı. Bağlantıyı kontrol edip tekrar deneyin.</translation>
    </message>
    <message>
        <source>The PBX rejected the login. Check the e-mail and password in Settings.</source>
        <translation>Santral girişi reddetti. Ayarlar&apos;daki e-posta ve şifreyi kontrol edin.</translation>
    </message>
    <message>
        <source>Click-to-call is not set up</source>
        <translation>Tıkla-ara kurulmamış</translation>
    </message>
    <message>
        <source>Open Settings and enter your extension and the panel login ({detail}).</source>
        <translation>Ayarlar&apos;ı açıp dahilinizi ve panel giriş bilgilerini girin ({detail}).</translation>
    </message>
    <message>
        <source>Cannot call</source>
        <translation>Aranamıyor</translation>
    </message>
    <message>
        <source>There is no number to call.</source>
        <translation>Aranacak numara yok.</translation>
    </message>
    <message>
        <source>The text is too long to be a phone number; copy just the number.</source>
        <translation>Metin telefon numarası olamayacak kadar uzun; yalnızca numarayı kopyalayın.</translation>
    </message>
    <message>
        <source>“{text}” contains no phone number.</source>
        <translation>“{text}” içinde telefon numarası yok.</translation>
    </message>
    <message>
        <source>“{text}” contains more than one phone number; choose one.</source>
        <translation>“{text}” içinde birden fazla telefon numarası var; birini seçin.</translation>
    </message>
    <message>
        <source>The number was withheld; it cannot be called back.</source>
        <translation>Numara gizli; geri aranamaz.</translation>
    </message>
    <message>
        <source>The outside-line prefix in the settings may only contain digits, * and #.</source>
        <translation>Ayarlardaki dış hat öneki yalnızca rakam, * ve # içerebilir.</translation>
    </message>
    <message>
        <source>“{text}” is not a valid phone number.</source>
        <translation>“{text}” geçerli bir telefon numarası değil.</translation>
    </message>
    <message>
        <source>Transfer failed</source>
        <translation>Aktarma başarısız</translation>
    </message>
    <message>
        <source>Hang-up failed</source>
        <translation>Arama sonlandırılamadı</translation>
    </message>
    <message>
        <source>The PBX refused: {reason}</source>
        <translation>Santral reddetti: {reason}</translation>
    </message>
    <message>
        <source>That is not an extension.</source>
        <translation>Bu bir dahili numara değil.</translation>
    </message>
    <message>
        <source>Not connected to the PBX; nothing was sent.</source>
        <translation>Santrale bağlı değil; hiçbir şey gönderilmedi.</translation>
    </message>
</context>
<context>
    <name>ColleagueModel</name>
    <message>
        <source>This is your own extension.</source>
        <extracomment>None: transfer possible; else why not (the Transfer column&apos;s tooltip).</extracomment>
        <translation>Bu sizin dahiliniz.</translation>
    </message>
    <message>
        <source>{name} is offline.</source>
        <translation>{name} çevrim dışı.</translation>
    </message>
    <message>
        <source>Call {name} ({extension})</source>
        <translation>{name} ({extension}) aransın</translation>
    </message>
    <message>
        <source>Transfer your call to {name} ({extension})</source>
        <translation>Çağrınızı {name} ({extension}) dahilisine aktarın</translation>
    </message>
    <message>
        <source>PBX: {text}</source>
        <translation>Santral: {text}</translation>
    </message>
    <message>
        <source>The phone is not registered.</source>
        <translation>Telefon santrale kayıtlı değil.</translation>
    </message>
</context>
<context>
    <name>ConnectionReason</name>
    <message>
        <source>connection refused</source>
        <translation>bağlantı reddedildi</translation>
    </message>
    <message>
        <source>connection timed out</source>
        <translation>bağlantı zaman aşımına uğradı</translation>
    </message>
    <message>
        <source>connection reset by the server</source>
        <translation>sunucu bağlantıyı sıfırladı</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>bağlantı koptu</translation>
    </message>
    <message>
        <source>network unreachable</source>
        <translation>ağa ulaşılamıyor</translation>
    </message>
    <message>
        <source>server unreachable</source>
        <translation>sunucuya ulaşılamıyor</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>durduruldu</translation>
    </message>
    <message>
        <source>reconnect requested</source>
        <translation>yeniden bağlanma istendi</translation>
    </message>
    <message>
        <source>credentials changed</source>
        <translation>giriş bilgileri değişti</translation>
    </message>
    <message>
        <source>server closed the connection</source>
        <translation>sunucu bağlantıyı kapattı</translation>
    </message>
    <message>
        <source>server closed the connection ({0})</source>
        <translation>sunucu bağlantıyı kapattı ({0})</translation>
    </message>
    <message>
        <source>login rejected: {0}</source>
        <translation>giriş reddedildi: {0}</translation>
    </message>
    <message>
        <source>TLS certificate not trusted: {0}</source>
        <translation>TLS sertifikasına güvenilmiyor: {0}</translation>
    </message>
    <message>
        <source>TLS handshake failed: {0}</source>
        <translation>TLS el sıkışması başarısız: {0}</translation>
    </message>
    <message>
        <source>server name not found ({0})</source>
        <translation>sunucu adı bulunamadı ({0})</translation>
    </message>
    <message>
        <source>message from the server larger than {0}</source>
        <translation>sunucudan gelen ileti {0} sınırını aşıyor</translation>
    </message>
    <message>
        <source>no data for {0} s (the connection may be dead)</source>
        <translation>{0} sn boyunca veri gelmedi (bağlantı kopmuş olabilir)</translation>
    </message>
    <message>
        <source>the computer slept or its clock changed</source>
        <translation>bilgisayar uyku modundaydı ya da saati değişti</translation>
    </message>
    <message>
        <source>the computer was asleep for {0} s; reconnecting</source>
        <translation>bilgisayar {0} sn uykudaydı; yeniden bağlanılıyor</translation>
    </message>
</context>
<context>
    <name>ContactEditDialog</name>
    <message>
        <source>New contact</source>
        <translation>Yeni kişi</translation>
    </message>
    <message>
        <source>Edit contact – {name}</source>
        <translation>Kişiyi düzenle – {name}</translation>
    </message>
    <message>
        <source>First and last name</source>
        <translation>Ad ve soyad</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Ad:</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>Firma:</translation>
    </message>
    <message>
        <source>Add number</source>
        <translation>Numara ekle</translation>
    </message>
    <message>
        <source>Numbers:</source>
        <translation>Numaralar:</translation>
    </message>
    <message>
        <source>name@company.com.tr</source>
        <translation>ad@sirket.com.tr</translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation>E-posta:</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>Notlar:</translation>
    </message>
    <message>
        <source>Also add to the PBX phonebook</source>
        <translation>Santral rehberine de ekle</translation>
    </message>
    <message>
        <source>Adds the name and the first number to the Tekil Santral phonebook, so desk phones show the name too.</source>
        <translation>Adı ve ilk numarayı Tekil Santral rehberine ekler; böylece masa telefonlarında da ad görünür.</translation>
    </message>
    <message>
        <source>First group</source>
        <translation>İlk grup</translation>
    </message>
    <message>
        <source>From the PBX phonebook: the next sync with the PBX replaces changes made here.</source>
        <translation>Santral rehberinden: santralle bir sonraki eşitleme, burada yapılan değişikliklerin yerine geçer.</translation>
    </message>
    <message>
        <source>Imported from {file}: importing that file again replaces changes made here.</source>
        <translation>{file} dosyasından içe aktarıldı: dosyayı yeniden içe aktarmak, burada yapılan değişikliklerin yerine geçer.</translation>
    </message>
    <message>
        <source>Correct or remove the numbers marked “not a phone number”.</source>
        <translation>“Telefon numarası değil” olarak işaretli numaraları düzeltin ya da kaldırın.</translation>
    </message>
    <message>
        <source>The PBX phonebook needs a phone number.</source>
        <translation>Santral rehberi için telefon numarası gerekir.</translation>
    </message>
    <message>
        <source>This does not look like an e-mail address.</source>
        <translation>Bu bir e-posta adresine benzemiyor.</translation>
    </message>
    <message>
        <source>Enter at least a name or a number.</source>
        <translation>En azından bir ad ya da numara girin.</translation>
    </message>
</context>
<context>
    <name>ContactTableModel</name>
    <message>
        <source>Name</source>
        <extracomment>``data(index, ContactIdRole)``: the contact&apos;s id.</extracomment>
        <translation>Ad</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numara</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Kaynak</translation>
    </message>
    <message>
        <source>Added here</source>
        <translation>Burada eklendi</translation>
    </message>
    <message>
        <source>PBX phonebook</source>
        <translation>Santral rehberi</translation>
    </message>
    <message>
        <source>{file} (CSV)</source>
        <translation>{file} (CSV)</translation>
    </message>
    <message>
        <source>{file} (vCard)</source>
        <translation>{file} (vCard)</translation>
    </message>
</context>
<context>
    <name>ContactsBridge</name>
    <message>
        <source>Only Tekil Santral accounts have a PBX phonebook; KobiPBX (Bulut Santral) has no phonebook API. For Tekil, enter the panel e-mail and password in Settings.</source>
        <translation>Santral rehberi yalnızca Tekil Santral hesaplarında var; KobiPBX&apos;in (Bulut Santral) rehber API&apos;si yok. Tekil için panel e-postasını ve şifresini Ayarlar&apos;a girin.</translation>
    </message>
    <message>
        <source>Searching the contacts failed: {error}</source>
        <translation>Kişilerde arama başarısız: {error}</translation>
    </message>
    <message>
        <source>The contact was deleted in the meantime; add it again if you need it.</source>
        <translation>Kişi bu arada silinmiş; gerekiyorsa yeniden ekleyin.</translation>
    </message>
    <message>
        <source>The contact could not be saved: {error}</source>
        <translation>Kişi kaydedilemedi: {error}</translation>
    </message>
    <message>
        <source>The contact could not be deleted: {error}</source>
        <translation>Kişi silinemedi: {error}</translation>
    </message>
    <message>
        <source>An import is already running.</source>
        <translation>Zaten bir içe aktarma sürüyor.</translation>
    </message>
    <message>
        <source>{file} could not be imported: {error}</source>
        <translation>{file} içe aktarılamadı: {error}</translation>
    </message>
    <message>
        <source>{file} could not be written: {error}</source>
        <translation>{file} yazılamadı: {error}</translation>
    </message>
    <message>
        <source>The PBX sent a phonebook we cannot read: {error}</source>
        <translation>Santralin gönderdiği rehber okunamadı: {error}</translation>
    </message>
    <message>
        <source>The PBX phonebook could not be saved: {error}</source>
        <translation>Santral rehberi kaydedilemedi: {error}</translation>
    </message>
    <message>
        <source>The PBX phonebook needs a phone number.</source>
        <translation>Santral rehberi için telefon numarası gerekir.</translation>
    </message>
    <message>
        <source>The PBX phonebook has no group yet: create one in the Kobikom panel (Rehber) first.</source>
        <translation>Santral rehberinde henüz grup yok: önce Kobikom panelinde (Rehber) bir grup oluşturun.</translation>
    </message>
    <message>
        <source>The PBX did not add the contact: {reason}</source>
        <translation>Santral kişiyi eklemedi: {reason}</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>neden belirtilmedi</translation>
    </message>
    <message>
        <source>The Kobikom panel refused the login: check the e-mail and password in Settings. ({detail})</source>
        <translation>Kobikom paneli girişi reddetti: Ayarlar&apos;daki e-posta ve şifreyi kontrol edin. ({detail})</translation>
    </message>
    <message>
        <source>No clear answer from the Kobikom panel: the contact may or may not have been added. Check the panel before trying again. ({detail})</source>
        <translation>Kobikom panelinden net yanıt gelmedi: kişi eklenmiş de olabilir, eklenmemiş de. Tekrar denemeden önce panele bakın. ({detail})</translation>
    </message>
    <message>
        <source>The Kobikom panel cannot be reached: check the internet connection. ({detail})</source>
        <translation>Kobikom paneline ulaşılamıyor: internet bağlantısını kontrol edin. ({detail})</translation>
    </message>
    <message>
        <source>The Kobikom panel had a problem. ({detail})</source>
        <translation>Kobikom panelinde bir sorun oluştu. ({detail})</translation>
    </message>
    <message>
        <source>The Kobikom panel refused the request. ({detail})</source>
        <translation>Kobikom paneli isteği reddetti. ({detail})</translation>
    </message>
</context>
<context>
    <name>ContactsWindow</name>
    <message>
        <source>Contacts – Kobikom Desktop</source>
        <extracomment>Delay between the last key typed in the search box and the search. A saved edit also goes to the PBX: its outcome must not be hidden by &quot;Saved&quot;.</extracomment>
        <translation>Kişiler – Kobikom Desktop</translation>
    </message>
    <message>
        <source>Search by name, company or number</source>
        <translation>Ad, firma veya numara ile ara</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Ara</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Ekle…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Düzenle…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Sil</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>İçe aktar…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Dışa aktar…</translation>
    </message>
    <message>
        <source>Sync with PBX</source>
        <translation>Santralle eşitle</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>No contact matches “{query}”.</source>
        <translation>“{query}” ile eşleşen kişi yok.</translation>
    </message>
    <message>
        <source>No contacts yet.
Add one, import a CSV or vCard file, or sync with the PBX phonebook.</source>
        <translation>Henüz kişi yok.
Kişi ekleyin, CSV ya da vCard dosyası içe aktarın veya santral rehberiyle eşitleyin.</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 sonuç</translation>
    </message>
    <message>
        <source>{count} matches</source>
        <translation>{count} sonuç</translation>
    </message>
    <message>
        <source>The first {shown} of {total} contacts: type to find the others.</source>
        <translation>{total} kişinin ilk {shown} tanesi: diğerleri için yazarak arayın.</translation>
    </message>
    <message>
        <source>1 contact</source>
        <translation>1 kişi</translation>
    </message>
    <message>
        <source>{count} contacts</source>
        <translation>{count} kişi</translation>
    </message>
    <message>
        <source>Replace the PBX contacts here with the Tekil Santral phonebook.</source>
        <translation>Buradaki santral kişilerini Tekil Santral rehberindekilerle değiştir.</translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation>Kişiyi sil</translation>
    </message>
    <message>
        <source>Delete “{name}”?</source>
        <translation>“{name}” silinsin mi?</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>Bu işlem geri alınamaz.</translation>
    </message>
    <message>
        <source>Saved “{name}”.</source>
        <translation>“{name}” kaydedildi.</translation>
    </message>
    <message>
        <source>Adding it to the PBX phonebook…</source>
        <translation>Santral rehberine ekleniyor…</translation>
    </message>
    <message>
        <source>The contact was deleted.</source>
        <translation>Kişi silindi.</translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation>Kişileri içe aktar</translation>
    </message>
    <message>
        <source>Contact files (*.csv *.vcf *.vcard)</source>
        <translation>Kişi dosyaları (*.csv *.vcf *.vcard)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV dosyaları (*.csv)</translation>
    </message>
    <message>
        <source>vCard files (*.vcf *.vcard)</source>
        <translation>vCard dosyaları (*.vcf *.vcard)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tüm dosyalar (*)</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>{file} içe aktarılıyor…</translation>
    </message>
    <message>
        <source>Export contacts</source>
        <translation>Kişileri dışa aktar</translation>
    </message>
    <message>
        <source>CSV for Excel (*.csv)</source>
        <translation>Excel için CSV (*.csv)</translation>
    </message>
    <message>
        <source>vCard (*.vcf)</source>
        <translation>vCard (*.vcf)</translation>
    </message>
    <message>
        <source>contacts</source>
        <translation>kisiler</translation>
    </message>
    <message>
        <source>Exporting to {file}…</source>
        <translation>{file} dosyasına aktarılıyor…</translation>
    </message>
    <message>
        <source>Exported {count} contacts</source>
        <translation>{count} kişi dışa aktarıldı</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>{path} konumuna kaydedildi.</translation>
    </message>
    <message>
        <source>Sync with the PBX failed</source>
        <translation>Santralle eşitleme başarısız</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>İçe aktarma başarısız</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Dışa aktarma başarısız</translation>
    </message>
    <message>
        <source>Fetching the PBX phonebook…</source>
        <translation>Santral rehberi alınıyor…</translation>
    </message>
    <message>
        <source>Synced with the PBX phonebook</source>
        <translation>Santral rehberiyle eşitlendi</translation>
    </message>
    <message>
        <source>Added {added}, updated {updated}, unchanged {unchanged}, removed {removed}.</source>
        <translation>Eklenen {added}, güncellenen {updated}, değişmeyen {unchanged}, kaldırılan {removed}.</translation>
    </message>
    <message>
        <source>Added to the PBX phonebook</source>
        <translation>Santral rehberine eklendi</translation>
    </message>
    <message>
        <source>“{name}” is saved here and in the PBX phonebook.</source>
        <translation>“{name}” hem burada hem santral rehberinde kayıtlı.</translation>
    </message>
    <message>
        <source>Not added to the PBX phonebook</source>
        <translation>Santral rehberine eklenmedi</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Bir sorun oluştu</translation>
    </message>
</context>
<context>
    <name>DialConfirmDialog</name>
    <message>
        <source>Confirm call – Kobikom</source>
        <translation>Aramayı onayla – Kobikom</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Ara</translation>
    </message>
    <message>
        <source>Call this number?</source>
        <translation>Bu numara aransın mı?</translation>
    </message>
    <message>
        <source>From the text you selected, or from the clipboard when nothing was selected.</source>
        <translation>Seçtiğiniz metinden; seçili bir şey yoksa panodan.</translation>
    </message>
    <message>
        <source>Call a premium-rate number?</source>
        <translation>Ücretli özel servis numarası aransın mı?</translation>
    </message>
    <message>
        <source>Calls to this number are charged at a premium rate.</source>
        <translation>Bu numaraya yapılan aramalar yüksek tarifeden ücretlendirilir.</translation>
    </message>
    <message>
        <source>Call an international number?</source>
        <translation>Yurt dışı numarası aransın mı?</translation>
    </message>
    <message>
        <source>This number is in {country}. International calls may cost more.</source>
        <translation>Bu bir yurt dışı numarası ({country}). Yurt dışı aramaları daha pahalı olabilir.</translation>
    </message>
    <message>
        <source>This number is outside Turkey. International calls may cost more.</source>
        <translation>Bu numara Türkiye dışında. Yurt dışı aramaları daha pahalı olabilir.</translation>
    </message>
</context>
<context>
    <name>DialerWindow</name>
    <message>
        <source>Dial – Kobikom</source>
        <extracomment>The window&apos;s size when it first opens (logical px). Bumped when the recent calls change: a search with older ones is stale too. Seconds each shown search took from keystroke to screen (benchmark).</extracomment>
        <translation>Numara çevir – Kobikom</translation>
    </message>
    <message>
        <source>Name, company or number</source>
        <translation>Ad, firma veya numara</translation>
    </message>
    <message>
        <source>Search contacts and recent calls</source>
        <translation>Kişilerde ve son aramalarda ara</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Sonuçlar</translation>
    </message>
    <message>
        <source>Enter calls · Esc closes</source>
        <translation>Enter arar · Esc kapatır</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Ara</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>Cep</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>İş</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Ev</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Diğer</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>Cevapsız arama</translation>
    </message>
    <message>
        <source>Outgoing call</source>
        <translation>Giden arama</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Gelen arama</translation>
    </message>
    <message>
        <source>Yesterday {time}</source>
        <translation>Dün {time}</translation>
    </message>
    <message>
        <source>Premium-rate number</source>
        <translation>Ücretli özel servis numarası</translation>
    </message>
    <message>
        <source>International number</source>
        <translation>Yurt dışı numarası</translation>
    </message>
    <message>
        <source>The number you typed</source>
        <translation>Yazdığınız numara</translation>
    </message>
    <message>
        <source>Call {number}</source>
        <translation>{number} numarasını ara</translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation>Son aramalar</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>Eşleşenler</translation>
    </message>
    <message>
        <source>Type a name, a company or a number.
Recent calls appear here.</source>
        <translation>Ad, firma ya da numara yazın.
Son aramalar burada görünür.</translation>
    </message>
    <message>
        <source>No contact has a number with “{text}”.</source>
        <translation>Hiçbir kişinin numarasında “{text}” geçmiyor.</translation>
    </message>
    <message>
        <source>No contact matches “{text}”.</source>
        <translation>“{text}” ile eşleşen kişi yok.</translation>
    </message>
    <message>
        <source>Type a number or a name first.</source>
        <translation>Önce bir numara ya da ad yazın.</translation>
    </message>
    <message>
        <source>That is too long to be a phone number.</source>
        <translation>Bu, telefon numarası olamayacak kadar uzun.</translation>
    </message>
    <message>
        <source>“{text}” contains no phone number.</source>
        <translation>“{text}” içinde telefon numarası yok.</translation>
    </message>
    <message>
        <source>“{text}” contains more than one number.</source>
        <translation>“{text}” içinde birden fazla numara var.</translation>
    </message>
    <message>
        <source>The number was withheld.</source>
        <translation>Numara gizli.</translation>
    </message>
    <message>
        <source>The outside-line prefix in the settings is not valid.</source>
        <translation>Ayarlardaki dış hat öneki geçersiz.</translation>
    </message>
    <message>
        <source>“{text}” is not a valid phone number.</source>
        <translation>“{text}” geçerli bir telefon numarası değil.</translation>
    </message>
</context>
<context>
    <name>FormRows</name>
    <message>
        <source>Set by your administrator</source>
        <extracomment>Colours of the inline messages (the popup&apos;s palette). Most rows of one grid (the stretch row goes below them).</extracomment>
        <translation>Yöneticiniz tarafından ayarlandı</translation>
    </message>
</context>
<context>
    <name>HistoryFilterBar</name>
    <message>
        <source>All</source>
        <extracomment>Search-as-you-type waits this long after the last key (ms). Days before today that the custom range starts at when first shown. Number keys of directory contacts whose name matches (None: no directory).</extracomment>
        <translation>Tümü</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Cevapsız</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>Gelen</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>Giden</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Tüm zamanlar</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Bugün</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Son 7 gün</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Son 30 gün</translation>
    </message>
    <message>
        <source>Dates…</source>
        <translation>Tarih aralığı…</translation>
    </message>
    <message>
        <source>Search name or number</source>
        <translation>Ad veya numara ara</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Withheld number</source>
        <extracomment>Rows read from the journal per page (the first page is the filter&apos;s head read). Event-loop turns between showing a filter&apos;s head and reading its ids. Pages kept in memory (a screenful needs one or two). ``data(index, ROW_ROLE)`` is the row&apos;s :class:`HistoryRow`. Display texts by (row id, column): formatting a number costs more than painting. The rows shown are only the head of the result (the ids follow). Call ids shown as &quot;new&quot; (missed and unseen when the window opened). Pages read from the journal (diagnostics, tests, the benchmark). A query is running and nothing of its result is shown yet. Every matching row is in the model (the last query has finished).</extracomment>
        <translation>Gizli numara</translation>
    </message>
    <message>
        <source>Recording available</source>
        <translation>Ses kaydı var</translation>
    </message>
    <message>
        <source>Note: {0}</source>
        <translation>Not: {0}</translation>
    </message>
    <message>
        <source>Called back {0}</source>
        <translation>Geri arandı: {0}</translation>
    </message>
    <message>
        <source>Queue {0}</source>
        <translation>Kuyruk: {0}</translation>
    </message>
    <message>
        <source>Missed · called back</source>
        <translation>Cevapsız · geri arandı</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Cevapsız</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Cevaplandı</translation>
    </message>
    <message>
        <source>Answered by a colleague</source>
        <translation>Başka dahili cevapladı</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Cevaplanmadı</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Bilinmiyor</translation>
    </message>
    <message>
        <source>Today {0}</source>
        <translation>Bugün {0}</translation>
    </message>
    <message>
        <source>Yesterday {0}</source>
        <translation>Dün {0}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zaman</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numara</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kişi</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Süre</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Sonuç</translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <source>Recent calls – Kobikom Desktop</source>
        <translation>Son aramalar – Kobikom Desktop</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Tekrar dene</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Geri ara</translation>
    </message>
    <message>
        <source>Send SMS</source>
        <translation>SMS gönder</translation>
    </message>
    <message>
        <source>Play recording</source>
        <translation>Kaydı dinle</translation>
    </message>
    <message>
        <source>Add to contacts</source>
        <translation>Rehbere ekle</translation>
    </message>
    <message>
        <source>Copy number</source>
        <translation>Numarayı kopyala</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>Not…</translation>
    </message>
    <message>
        <source>Open in CRM</source>
        <translation>CRM&apos;de aç</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Yükleniyor…</translation>
    </message>
    <message>
        <source>1 call</source>
        <translation>1 arama</translation>
    </message>
    <message>
        <source>{0} calls</source>
        <translation>{0} arama</translation>
    </message>
    <message>
        <source>The call history could not be read</source>
        <translation>Arama geçmişi okunamadı</translation>
    </message>
    <message>
        <source>Copied {0}</source>
        <translation>{0} kopyalandı</translation>
    </message>
</context>
<context>
    <name>ImportProblem</name>
    <message>
        <source>not a phone number: {cell}</source>
        <extracomment>Problem rows of an import visible without scrolling.</extracomment>
        <translation>telefon numarası değil: {cell}</translation>
    </message>
    <message>
        <source>not a valid phone number: {cell}</source>
        <translation>geçerli bir telefon numarası değil: {cell}</translation>
    </message>
    <message>
        <source>not a phone number: &apos;{part}&apos; in {cell}</source>
        <translation>telefon numarası değil: {cell} içindeki &apos;{part}&apos;</translation>
    </message>
    <message>
        <source>not a valid phone number: &apos;{part}&apos; in {cell}</source>
        <translation>geçerli bir telefon numarası değil: {cell} içindeki &apos;{part}&apos;</translation>
    </message>
    <message>
        <source>Excel scientific notation {cell}: its last digits are lost; format the column as Text in Excel and export again</source>
        <translation>Excel bilimsel gösterimi {cell}: numaranın son haneleri kaybolmuş; Excel&apos;de sütunu Metin olarak biçimlendirip yeniden dışa aktarın</translation>
    </message>
    <message>
        <source>cell too long: only its first {limit} characters were read</source>
        <translation>hücre çok uzun: yalnızca ilk {limit} karakteri okundu</translation>
    </message>
    <message>
        <source>not an extension: {cell}</source>
        <translation>dahili numara değil: {cell}</translation>
    </message>
    <message>
        <source>{what} too long ({length} characters): cut to {limit}</source>
        <translation>{what} çok uzun ({length} karakter): {limit} karaktere kısaltıldı</translation>
    </message>
    <message>
        <source>{count} numbers: only the first {limit} are kept</source>
        <translation>{count} numara var: yalnızca ilk {limit} numara saklandı</translation>
    </message>
    <message>
        <source>no name and no phone number</source>
        <translation>ad da telefon numarası da yok</translation>
    </message>
    <message>
        <source>no valid number ({cells}) and no name</source>
        <translation>geçerli numara yok ({cells}) ve ad yok</translation>
    </message>
    <message>
        <source>too many columns ({count}; the header has {width})</source>
        <translation>sütun sayısı fazla ({count}; başlıkta {width} sütun var)</translation>
    </message>
    <message>
        <source>CSV syntax error ({error}); the rest of the file was not read</source>
        <translation>CSV söz dizimi hatası ({error}); dosyanın geri kalanı okunmadı</translation>
    </message>
    <message>
        <source>the card has no END:VCARD</source>
        <translation>kartın END:VCARD satırı yok</translation>
    </message>
    <message>
        <source>the same contact as row {first_row}</source>
        <translation>{first_row}. satırdaki kişiyle aynı</translation>
    </message>
    <message>
        <source>the name</source>
        <translation>Ad</translation>
    </message>
    <message>
        <source>the company</source>
        <translation>Firma adı</translation>
    </message>
    <message>
        <source>the e-mail address</source>
        <translation>E-posta adresi</translation>
    </message>
    <message>
        <source>the notes</source>
        <translation>Notlar</translation>
    </message>
</context>
<context>
    <name>ImportSummary</name>
    <message>
        <source>Row {row}</source>
        <translation>Satır {row}</translation>
    </message>
    <message>
        <source>Line {line}</source>
        <translation>Dosya satırı {line}</translation>
    </message>
    <message>
        <source>{where}, column “{column}”</source>
        <translation>{where}, “{column}” sütunu</translation>
    </message>
    <message>
        <source>{where}: {reason}</source>
        <translation>{where}: {reason}</translation>
    </message>
    <message>
        <source>{where}: {reason} (the rest of the row was imported)</source>
        <translation>{where}: {reason} (satırın geri kalanı aktarıldı)</translation>
    </message>
    <message>
        <source>Import cancelled</source>
        <translation>İçe aktarma iptal edildi</translation>
    </message>
    <message>
        <source>Nothing from {file} was saved.</source>
        <translation>{file} dosyasından hiçbir şey kaydedilmedi.</translation>
    </message>
    <message>
        <source>Added {added}, updated {updated}, unchanged {unchanged}, skipped {skipped}.</source>
        <translation>Eklenen {added}, güncellenen {updated}, değişmeyen {unchanged}, atlanan {skipped}.</translation>
    </message>
    <message>
        <source>{rows} rows read; {numbers} numbers saved, {dropped} dropped, {fax} fax skipped.</source>
        <translation>{rows} satır okundu; {numbers} numara kaydedildi, {dropped} numara atıldı, {fax} faks numarası atlandı.</translation>
    </message>
    <message>
        <source>The file could be read only up to line {line}.</source>
        <translation>Dosya yalnızca {line}. satıra kadar okunabildi.</translation>
    </message>
    <message>
        <source>… and {count} more problems.</source>
        <translation>… ve {count} sorun daha.</translation>
    </message>
    <message>
        <source>Imported {file}</source>
        <translation>{file} içe aktarıldı</translation>
    </message>
</context>
<context>
    <name>IntegrationPages</name>
    <message>
        <source>CRM</source>
        <extracomment>Step of the time budgets (ms). Longest text of an address or DN field. Where the dial hotkey&apos;s row is.</extracomment>
        <translation>CRM</translation>
    </message>
    <message>
        <source>Directory</source>
        <translation>Rehber</translation>
    </message>
    <message>
        <source>CRM address:</source>
        <translation>CRM adresi:</translation>
    </message>
    <message>
        <source>Opened in your browser for a call. Variables: {number} {e164} {national} {international} {name} {company} {call_id} {extension} {queue} {direction}.</source>
        <translation>Bir arama için tarayıcınızda açılır. Değişkenler: {number} {e164} {national} {international} {name} {company} {call_id} {extension} {queue} {direction}.</translation>
    </message>
    <message>
        <source>When a call rings</source>
        <translation>Arama çaldığında</translation>
    </message>
    <message>
        <source>When I answer</source>
        <translation>Cevapladığımda</translation>
    </message>
    <message>
        <source>Only when I click Open in CRM</source>
        <translation>Yalnızca CRM&apos;de aç&apos;a tıkladığımda</translation>
    </message>
    <message>
        <source>Open the page:</source>
        <translation>Sayfayı aç:</translation>
    </message>
    <message>
        <source>Once per incoming call. The popup and the call history have an Open in CRM button.</source>
        <translation>Her gelen aramada bir kez. Açılır pencerede ve arama geçmişinde CRM&apos;de aç düğmesi vardır.</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Yok</translation>
    </message>
    <message>
        <source>Dial hotkey:</source>
        <translation>Arama kısayolu:</translation>
    </message>
    <message>
        <source>Press it in any program to call the selected number (or the copied one), after a confirmation. E.g. Ctrl+Alt+D; empty for none.</source>
        <translation>Herhangi bir programda basın: seçili numara (ya da kopyalanan) onayınızdan sonra aranır. Örn. Ctrl+Alt+D; boş bırakılırsa kısayol olmaz.</translation>
    </message>
    <message>
        <source>LDAP server:</source>
        <translation>LDAP sunucusu:</translation>
    </message>
    <message>
        <source>LDAP or Active Directory, looked up for callers your contacts do not know. Empty: not used.</source>
        <translation>LDAP ya da Active Directory; rehberinizde olmayan arayanlar için sorulur. Boş: kullanılmaz.</translation>
    </message>
    <message>
        <source>Base DN:</source>
        <translation>Temel DN:</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>Anonim</translation>
    </message>
    <message>
        <source>Bind user:</source>
        <translation>Bağlanan kullanıcı:</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Ayarlanmadı</translation>
    </message>
    <message>
        <source>Bind password:</source>
        <translation>Bağlanma parolası:</translation>
    </message>
    <message>
        <source>Kept in the system keyring.</source>
        <translation>Sistem anahtarlığında saklanır.</translation>
    </message>
    <message>
        <source>Filter:</source>
        <translation>Filtre:</translation>
    </message>
    <message>
        <source>Variables: {number} {e164} {national} {international}. Empty: the default shown.</source>
        <translation>Değişkenler: {number} {e164} {national} {international}. Boş: gösterilen varsayılan.</translation>
    </message>
    <message>
        <source>Name attributes:</source>
        <translation>Ad öznitelikleri:</translation>
    </message>
    <message>
        <source>The first one with a value is shown.</source>
        <translation>Değeri olan ilki gösterilir.</translation>
    </message>
    <message>
        <source>Company attributes:</source>
        <translation>Şirket öznitelikleri:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Wait at most:</source>
        <translation>En fazla bekle:</translation>
    </message>
    <message>
        <source>The popup shows at once; the name is filled in if the server answers in time.</source>
        <translation>Açılır pencere hemen gösterilir; sunucu zamanında yanıt verirse ad eklenir.</translation>
    </message>
    <message>
        <source>CRM lookup address:</source>
        <translation>CRM sorgu adresi:</translation>
    </message>
    <message>
        <source>Asked after LDAP; answers a contact as JSON (see the README). Variables: {number} {e164} {national} {international}.</source>
        <translation>LDAP&apos;tan sonra sorulur; kişiyi JSON olarak döndürür (README&apos;ye bakın). Değişkenler: {number} {e164} {national} {international}.</translation>
    </message>
    <message>
        <source>Lookup token:</source>
        <translation>Sorgu anahtarı:</translation>
    </message>
    <message>
        <source>Sent as a bearer token; kept in the system keyring.</source>
        <translation>Bearer belirteci olarak gönderilir; sistem anahtarlığında saklanır.</translation>
    </message>
    <message>
        <source>Write the base DN to search under.</source>
        <translation>Aramanın yapılacağı temel DN&apos;yi yazın.</translation>
    </message>
</context>
<context>
    <name>IntegrationTexts</name>
    <message>
        <source>Braces do not match: write a variable as {e164}.</source>
        <extracomment>Refused templates and key combinations, by ``code``.</extracomment>
        <translation>Süslü parantezler eşleşmiyor: değişkeni {e164} gibi yazın.</translation>
    </message>
    <message>
        <source>{name} is not a variable here. Known: {known}.</source>
        <translation>{name} burada bir değişken değil. Bilinenler: {known}.</translation>
    </message>
    <message>
        <source>Write a variable without a format, as {name}.</source>
        <translation>Değişkeni biçimsiz, {name} olarak yazın.</translation>
    </message>
    <message>
        <source>The address is too long.</source>
        <translation>Adres çok uzun.</translation>
    </message>
    <message>
        <source>The address contains spaces or line breaks.</source>
        <translation>Adreste boşluk ya da satır sonu var.</translation>
    </message>
    <message>
        <source>The address must start with http:// or https://.</source>
        <translation>Adres http:// ya da https:// ile başlamalı.</translation>
    </message>
    <message>
        <source>Write the server&apos;s name before any variable, e.g. https://crm.example.com/?phone={e164}.</source>
        <translation>Sunucunun adını değişkenlerden önce yazın, örn. https://crm.example.com/?phone={e164}.</translation>
    </message>
    <message>
        <source>The server must be an ldap:// or ldaps:// address.</source>
        <translation>Sunucu bir ldap:// ya da ldaps:// adresi olmalı.</translation>
    </message>
    <message>
        <source>The address names no server.</source>
        <translation>Adreste sunucu adı yok.</translation>
    </message>
    <message>
        <source>An LDAP filter is written in balanced parentheses, e.g. (telephoneNumber={e164}).</source>
        <translation>LDAP filtresi dengeli parantezlerle yazılır, örn. (telephoneNumber={e164}).</translation>
    </message>
    <message>
        <source>This is not a valid LDAP filter.</source>
        <translation>Bu geçerli bir LDAP filtresi değil.</translation>
    </message>
    <message>
        <source>Write a key after the modifiers, e.g. Ctrl+Alt+D.</source>
        <translation>Değiştirici tuşlardan sonra bir tuş yazın, örn. Ctrl+Alt+D.</translation>
    </message>
    <message>
        <source>Write the combination as modifiers and a key joined by +, e.g. Ctrl+Alt+D.</source>
        <translation>Kısayolu + ile birleştirilmiş değiştiriciler ve bir tuş olarak yazın, örn. Ctrl+Alt+D.</translation>
    </message>
    <message>
        <source>{part} is not a modifier (Ctrl, Alt, Shift, Meta).</source>
        <translation>{part} bir değiştirici tuş değil (Ctrl, Alt, Shift, Meta).</translation>
    </message>
    <message>
        <source>{key} cannot be a hotkey: use a letter, a digit, F1–F24, Space, Insert, Home, End, PageUp, PageDown or Pause.</source>
        <translation>{key} kısayol olamaz: bir harf, rakam, F1–F24, Space, Insert, Home, End, PageUp, PageDown ya da Pause kullanın.</translation>
    </message>
    <message>
        <source>Use Ctrl, Alt or Meta in the combination: a global hotkey takes the key away from every other program.</source>
        <translation>Kısayolda Ctrl, Alt ya da Meta kullanın: genel kısayol, tuşu diğer tüm programlardan alır.</translation>
    </message>
    <message>
        <source>Another program already uses this key combination. Choose another one.</source>
        <extracomment>Why the dial hotkey could not be registered, by backend problem code.</extracomment>
        <translation>Bu tuş birleşimini başka bir program kullanıyor. Başka bir tane seçin.</translation>
    </message>
    <message>
        <source>Wayland lets no application use a global hotkey. Use &quot;Dial number from clipboard&quot; in the tray menu instead.</source>
        <translation>Wayland hiçbir uygulamanın genel kısayol kullanmasına izin vermiyor. Bunun yerine tepsi menüsündeki &quot;Panodaki numarayı ara&quot;yı kullanın.</translation>
    </message>
    <message>
        <source>Global hotkeys are not available on this desktop.</source>
        <translation>Bu masaüstünde genel kısayollar kullanılamıyor.</translation>
    </message>
    <message>
        <source>macOS has not allowed this app to watch the keyboard: allow it under System Settings › Privacy &amp; Security › Input Monitoring.</source>
        <translation>macOS bu uygulamanın klavyeyi izlemesine izin vermedi: Sistem Ayarları › Gizlilik ve Güvenlik › Girdi İzleme altında izin verin.</translation>
    </message>
    <message>
        <source>This key combination cannot be used.</source>
        <translation>Bu tuş birleşimi kullanılamaz.</translation>
    </message>
    <message>
        <source>The hotkey could not be set up.</source>
        <translation>Kısayol kurulamadı.</translation>
    </message>
    <message>
        <source>LDAP directory</source>
        <translation>LDAP rehberi</translation>
    </message>
    <message>
        <source>CRM lookup</source>
        <translation>CRM sorgusu</translation>
    </message>
    <message>
        <source>{source} not reachable: {detail}</source>
        <translation>{source} erişilemiyor: {detail}</translation>
    </message>
</context>
<context>
    <name>Integrations</name>
    <message>
        <source>Nothing to call</source>
        <extracomment>``dial(text, source=..., confirm_always=...)``: the click-to-call bridge&apos;s entry point.</extracomment>
        <translation>Aranacak bir şey yok</translation>
    </message>
    <message>
        <source>Select a phone number (or copy it), then press the hotkey again.</source>
        <translation>Bir telefon numarası seçin (ya da kopyalayın), sonra kısayola yeniden basın.</translation>
    </message>
</context>
<context>
    <name>MissedCallsCard</name>
    <message>
        <source>Call back</source>
        <extracomment>Caller lines on the card (the summary keeps this many of the newest).</extracomment>
        <translation>Geri ara</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Tümünü göster</translation>
    </message>
    <message>
        <source>Missed calls</source>
        <translation>Cevapsız aramalar</translation>
    </message>
    <message numerus="yes">
        <source>and {count} more</source>
        <translation>
            <numerusform>ve {count} arama daha</numerusform>
        </translation>
    </message>
    <message>
        <source>Kobikom – {count}</source>
        <translation>Kobikom – {count}</translation>
    </message>
    <message>
        <source>1 missed call</source>
        <translation>1 cevapsız arama</translation>
    </message>
    <message numerus="yes">
        <source>{count} missed calls</source>
        <translation>
            <numerusform>{count} cevapsız arama</numerusform>
        </translation>
    </message>
    <message>
        <source>Number not sent</source>
        <translation>Numara iletilmedi</translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation>Gizli numara</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Bilinmeyen arayan</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Note on {0}</source>
        <extracomment>Most matching directory contacts whose numbers a name search also finds. libphonenumber types that can receive an SMS (as in the popup). Search the directory: number keys of contacts whose name matches. The CRM&apos;s page for a call (None: no CRM address is set).</extracomment>
        <translation>Not: {0}</translation>
    </message>
    <message>
        <source>Shown on the next popup for {0}:</source>
        <translation>{0} bir sonraki aradığında açılır pencerede gösterilir:</translation>
    </message>
    <message>
        <source>e.g. prefers calls after 14:00</source>
        <translation>ör. 14:00&apos;ten sonra aranmayı tercih ediyor</translation>
    </message>
</context>
<context>
    <name>NoticeBox</name>
    <message>
        <source>Close</source>
        <extracomment>(background, border) per kind: the popup&apos;s accent colours, lightened. Extra widgets (buttons, lists) go here, under the text.</extracomment>
        <translation>Kapat</translation>
    </message>
</context>
<context>
    <name>NumberLabel</name>
    <message>
        <source>Mobile</source>
        <translation>Cep</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>İş</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Ev</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Diğer</translation>
    </message>
</context>
<context>
    <name>NumberText</name>
    <message>
        <source>{number} ext. {extension}</source>
        <translation>{number} dahili {extension}</translation>
    </message>
</context>
<context>
    <name>OutcomeBox</name>
    <message>
        <source>Hide the row with a problem</source>
        <translation>Sorunlu satırı gizle</translation>
    </message>
    <message>
        <source>Hide the {count} rows with problems</source>
        <translation>Sorunlu {count} satırı gizle</translation>
    </message>
    <message>
        <source>Show the row with a problem</source>
        <translation>Sorunlu satırı göster</translation>
    </message>
    <message>
        <source>Show the {count} rows with problems</source>
        <translation>Sorunlu {count} satırı göster</translation>
    </message>
</context>
<context>
    <name>PopupWindow</name>
    <message>
        <source>Dismiss</source>
        <extracomment>The popups&apos; window icon, in pixels: one small size (see :func:`popup_icon`). Width of the card in logical pixels (the window adds the shadow around it). Soft shadow around the card when the window can be translucent. Frame interval and period of the ringing pulse (10 frames a second at most).</extracomment>
        <translation>Kapat</translation>
    </message>
</context>
<context>
    <name>QrDialog</name>
    <message>
        <source>Softphone QR code</source>
        <extracomment>How large the code is shown, in logical pixels (a phone scans it easily). Longest error detail shown (an exception may carry a whole answer). Width of the extension picker, in characters (&quot;101000 – Ayşe Demir&quot;). The apps, in the order offered. ``(extension, app) -&gt; PNG bytes`` (raises pbx errors / AccountIncomplete). ``() -&gt; the PBX&apos;s extensions`` (optional). The PNG as the PBX sent it, and the image on screen.</extracomment>
        <translation>Softphone QR kodu</translation>
    </message>
    <message>
        <source>Zoiper</source>
        <translation>Zoiper</translation>
    </message>
    <message>
        <source>Grandstream Wave</source>
        <translation>Grandstream Wave</translation>
    </message>
    <message>
        <source>Phone app:</source>
        <translation>Telefon uygulaması:</translation>
    </message>
    <message>
        <source>Extension:</source>
        <translation>Dahili:</translation>
    </message>
    <message>
        <source>The code contains your extension&apos;s password: scan it only with your own phone, and do not share or print it.</source>
        <translation>Kod, dahilinizin şifresini içerir: yalnızca kendi telefonunuzla okutun, paylaşmayın ve yazdırmayın.</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>PNG olarak kaydet…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>On your phone, open Zoiper and add an account by scanning a QR code (usually: Settings → Accounts → + → Scan QR code). Names of the menus vary between versions.</source>
        <translation>Telefonunuzda Zoiper&apos;ı açın ve QR kod okutarak hesap ekleyin (genellikle: Settings → Accounts → + → Scan QR code). Menü adları sürüme göre değişebilir.</translation>
    </message>
    <message>
        <source>On your phone, open Grandstream Wave and add an account by scanning a QR code (usually: Settings → Account Settings → + → Scan QR code). Names of the menus vary between versions.</source>
        <translation>Telefonunuzda Grandstream Wave&apos;i açın ve QR kod okutarak hesap ekleyin (genellikle: Settings → Account Settings → + → Scan QR code). Menü adları sürüme göre değişebilir.</translation>
    </message>
    <message>
        <source>No QR code for KobiPBX accounts</source>
        <translation>KobiPBX hesapları için QR kod yok</translation>
    </message>
    <message>
        <source>Kobikom documents QR codes only for Tekil Santral. For Bulut Santral (KobiPBX), ask Kobikom&apos;s technical team for your extension&apos;s SIP settings and enter them in the phone app by hand.</source>
        <translation>Kobikom QR kodu yalnızca Tekil Santral için sunuyor. Bulut Santral (KobiPBX) için dahilinizin SIP bilgilerini Kobikom teknik ekibinden isteyip telefon uygulamasına elle girin.</translation>
    </message>
    <message>
        <source>Choose an extension.</source>
        <translation>Bir dahili seçin.</translation>
    </message>
    <message>
        <source>Loading the QR code…</source>
        <translation>QR kod yükleniyor…</translation>
    </message>
    <message>
        <source>Set up your account first</source>
        <translation>Önce hesabınızı kurun</translation>
    </message>
    <message>
        <source>The QR code needs your panel e-mail and password.</source>
        <translation>QR kod için panel e-postanız ve şifreniz gerekir.</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>Giriş başarısız</translation>
    </message>
    <message>
        <source>The panel rejected your e-mail or password. Check them in Settings.</source>
        <translation>Panel e-postanızı ya da şifrenizi kabul etmedi. Ayarlar&apos;dan kontrol edin.</translation>
    </message>
    <message>
        <source>Extension not found</source>
        <translation>Dahili bulunamadı</translation>
    </message>
    <message>
        <source>The PBX has no extension {extension}.</source>
        <translation>Santralde {extension} dahilisi yok.</translation>
    </message>
    <message>
        <source>The panel cannot be reached</source>
        <translation>Panele ulaşılamıyor</translation>
    </message>
    <message>
        <source>The panel did not send a QR code</source>
        <translation>Panel bir QR kod göndermedi</translation>
    </message>
    <message>
        <source>The QR code could not be shown</source>
        <translation>QR kod gösterilemedi</translation>
    </message>
    <message>
        <source>No QR code to show.</source>
        <translation>Gösterilecek QR kod yok.</translation>
    </message>
    <message>
        <source>Save the QR code</source>
        <translation>QR kodu kaydet</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG resimleri (*.png)</translation>
    </message>
    <message>
        <source>The file could not be saved</source>
        <translation>Dosya kaydedilemedi</translation>
    </message>
    <message>
        <source>Saved as {name}</source>
        <translation>{name} olarak kaydedildi</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopyalandı</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Queue not named</source>
        <translation>Adı bildirilmeyen kuyruk</translation>
    </message>
    <message>
        <source>The PBX does not report the callers waiting in this queue.</source>
        <translation>Santral bu kuyrukta bekleyen arayanları bildirmiyor.</translation>
    </message>
    <message>
        <source>Agents available and waiting for a call / agents seen in this queue</source>
        <translation>Müsait ve çağrı bekleyen temsilciler / bu kuyrukta görülen temsilciler</translation>
    </message>
</context>
<context>
    <name>RecordingPlayer</name>
    <message>
        <source>Recording – {0}</source>
        <extracomment>Give the decoder this long to open a file before saying it failed (ms).</extracomment>
        <translation>Ses kaydı – {0}</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>İndiriliyor…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Oynat</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Konum</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Hız</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Sesi kapat</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Ses düzeyi</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Farklı kaydet…</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Klasörü aç</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Kapat</translation>
    </message>
    <message>
        <source>Downloading… %p%</source>
        <translation>İndiriliyor… %%p</translation>
    </message>
    <message>
        <source>Downloading… {0} KB</source>
        <translation>İndiriliyor… {0} KB</translation>
    </message>
    <message>
        <source>Download cancelled</source>
        <translation>İndirme iptal edildi</translation>
    </message>
    <message>
        <source>Playback is not available on this computer</source>
        <translation>Bu bilgisayarda oynatma kullanılamıyor</translation>
    </message>
    <message>
        <source>The recording was downloaded; use “Save as…” to open it in another program. ({0})</source>
        <translation>Ses kaydı indirildi; başka bir programda açmak için “Farklı kaydet…” seçeneğini kullanın. ({0})</translation>
    </message>
    <message>
        <source>No audio output device</source>
        <translation>Ses çıkış aygıtı yok</translation>
    </message>
    <message>
        <source>Nothing can be heard on this computer right now (no speakers or headset found). Use “Save as…” to keep the recording.</source>
        <translation>Bu bilgisayarda şu anda ses duyulamıyor (hoparlör ya da kulaklık bulunamadı). Kaydı saklamak için “Farklı kaydet…” seçeneğini kullanın.</translation>
    </message>
    <message>
        <source>This file cannot be played</source>
        <translation>Bu dosya oynatılamıyor</translation>
    </message>
    <message>
        <source>It is not a recording the player understands.</source>
        <translation>Oynatıcının tanıdığı bir ses kaydı değil.</translation>
    </message>
    <message>
        <source>The recording could not be played</source>
        <translation>Ses kaydı oynatılamadı</translation>
    </message>
    <message>
        <source>The recording could not be opened</source>
        <translation>Ses kaydı açılamadı</translation>
    </message>
    <message>
        <source>The media decoder gave no answer.</source>
        <translation>Ortam kod çözücüsü yanıt vermedi.</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Duraklat</translation>
    </message>
    <message>
        <source>Save recording</source>
        <translation>Ses kaydını kaydet</translation>
    </message>
    <message>
        <source>WAV audio (*.wav)</source>
        <translation>WAV ses dosyası (*.wav)</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Kaydedildi</translation>
    </message>
    <message>
        <source>Could not save the recording</source>
        <translation>Ses kaydı kaydedilemedi</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Kobikom Desktop – Settings</source>
        <extracomment>Width of the dialog (logical px); the height follows the tallest tab.</extracomment>
        <translation>Kobikom Desktop – Ayarlar</translation>
    </message>
    <message>
        <source>Import settings…</source>
        <translation>Ayarları içe aktar…</translation>
    </message>
    <message>
        <source>Use a settings file prepared by your IT administrator (it holds no passwords).</source>
        <translation>BT yöneticinizin hazırladığı ayar dosyasını kullanın (içinde şifre bulunmaz).</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Hesap</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Bağlantı</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tüm dosyalar (*)</translation>
    </message>
    <message>
        <source>Import settings</source>
        <translation>Ayarları içe aktar</translation>
    </message>
    <message>
        <source>Set up by your administrator</source>
        <translation>Yöneticiniz tarafından ayarlandı</translation>
    </message>
    <message>
        <source>The greyed-out settings are set by your administrator and cannot be changed here.</source>
        <translation>Gri görünen ayarlar yöneticiniz tarafından belirlenmiştir ve burada değiştirilemez.</translation>
    </message>
    <message>
        <source>Settings files (*.toml)</source>
        <translation>Ayar dosyaları (*.toml)</translation>
    </message>
    <message>
        <source>This file cannot be imported</source>
        <translation>Bu dosya içe aktarılamıyor</translation>
    </message>
    <message>
        <source>Settings from {file} are filled in; click Save to keep them.</source>
        <translation>{file} dosyasındaki ayarlar dolduruldu; saklamak için Kaydet&apos;e tıklayın.</translation>
    </message>
    <message>
        <source>Settings imported</source>
        <translation>Ayarlar içe aktarıldı</translation>
    </message>
    <message>
        <source>Reading the keyring…</source>
        <translation>Anahtar zinciri okunuyor…</translation>
    </message>
    <message>
        <source>Reading the saved password and API key…</source>
        <translation>Kayıtlı şifre ve API anahtarı okunuyor…</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Ayarlanmadı</translation>
    </message>
    <message>
        <source>the keyring could not be read ({error})</source>
        <translation>anahtar zinciri okunamadı ({error})</translation>
    </message>
    <message>
        <source>Set by the {name} environment variable, which takes precedence.</source>
        <translation>Öncelikli olan {name} ortam değişkeniyle ayarlandı.</translation>
    </message>
    <message>
        <source>no working system keyring was found</source>
        <translation>çalışan bir sistem anahtar zinciri bulunamadı</translation>
    </message>
    <message>
        <source>Passwords and keys are kept for this session only</source>
        <translation>Şifreler ve anahtarlar yalnızca bu oturum için saklanıyor</translation>
    </message>
    <message>
        <source>You will have to enter them again after restarting the app. Reason: {problem}.</source>
        <translation>Uygulama yeniden başlatıldıktan sonra bunları tekrar girmeniz gerekecek. Neden: {problem}.</translation>
    </message>
    <message>
        <source>Please correct the fields marked in red.</source>
        <translation>Lütfen kırmızıyla işaretli alanları düzeltin.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Kaydediliyor…</translation>
    </message>
    <message>
        <source>The settings could not be saved</source>
        <translation>Ayarlar kaydedilemedi</translation>
    </message>
    <message>
        <source>{file}: {error}</source>
        <translation>{file}: {error}</translation>
    </message>
    <message>
        <source>storing the secrets failed ({error})</source>
        <translation>gizli bilgiler saklanamadı ({error})</translation>
    </message>
    <message>
        <source>The settings were saved, but the keyring refused a secret</source>
        <translation>Ayarlar kaydedildi, ancak anahtar zinciri bir gizli bilgiyi kabul etmedi</translation>
    </message>
    <message>
        <source>The settings were saved, but starting at login could not be changed</source>
        <translation>Ayarlar kaydedildi, ancak oturum açılışında başlatma değiştirilemedi</translation>
    </message>
</context>
<context>
    <name>SettingsTabs</name>
    <message>
        <source>General</source>
        <extracomment>Auto-close delay of the popup, seconds. ``originate`` timings (milliseconds, as sent; Kobikom&apos;s example: 30000 / 15000). Size cap of the recordings cache (MB). Longest outside-line prefix accepted (PBX codes are one or two characters). What :func:`desktop.core.dialing.dial_target` accepts as an outside-line prefix.</extracomment>
        <translation>Genel</translation>
    </message>
    <message>
        <source>Start:</source>
        <translation>Başlatma:</translation>
    </message>
    <message>
        <source>Kobikom Desktop waits in the tray from the moment you log in, so no call goes unseen.</source>
        <translation>Kobikom Desktop oturum açtığınız andan itibaren sistem tepsisinde bekler; hiçbir çağrı gözden kaçmaz.</translation>
    </message>
    <message>
        <source>Show a popup when a call rings</source>
        <translation>Arama gelince açılır pencere göster</translation>
    </message>
    <message>
        <source>Bottom right</source>
        <translation>Sağ alt</translation>
    </message>
    <message>
        <source>Top right</source>
        <translation>Sağ üst</translation>
    </message>
    <message>
        <source>Bottom left</source>
        <translation>Sol alt</translation>
    </message>
    <message>
        <source>Top left</source>
        <translation>Sol üst</translation>
    </message>
    <message>
        <source>Screen corner:</source>
        <translation>Ekran köşesi:</translation>
    </message>
    <message>
        <source>On the screen where the mouse is.</source>
        <translation>Farenin bulunduğu ekranda.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> sn</translation>
    </message>
    <message>
        <source>Close after:</source>
        <translation>Kapanma süresi:</translation>
    </message>
    <message>
        <source>How long the popup of an ended call stays. Missed calls stay until you close them.</source>
        <translation>Biten aramanın açılır penceresinin ekranda kalma süresi. Cevapsız aramalar siz kapatana kadar kalır.</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Sistem dili</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Dil:</translation>
    </message>
    <message>
        <source>A new language takes effect when Kobikom Desktop is restarted.</source>
        <translation>Yeni dil, Kobikom Desktop yeniden başlatılınca geçerli olur.</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Aramalar</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Yok</translation>
    </message>
    <message>
        <source>Outside line prefix:</source>
        <translation>Dış hat öneki:</translation>
    </message>
    <message>
        <source>Dialled before outside numbers, e.g. 0 or 9, if your PBX needs one. Not used for extensions.</source>
        <translation>Santraliniz gerektiriyorsa dış numaralardan önce çevrilir, ör. 0 ya da 9. Dahililerde kullanılmaz.</translation>
    </message>
    <message>
        <source>Ask before calling international or premium-rate numbers</source>
        <translation>Yurt dışı ve ücretli özel servis numaralarını aramadan önce sor</translation>
    </message>
    <message>
        <source>Open tel:, callto: and sip: links with Kobikom Desktop</source>
        <translation>tel:, callto: ve sip: bağlantılarını Kobikom Desktop ile aç</translation>
    </message>
    <message>
        <source>Clicking a phone link in a browser or e-mail then calls the number.</source>
        <translation>Böylece tarayıcıda ya da e-postada bir telefon bağlantısına tıklamak numarayı arar.</translation>
    </message>
    <message>
        <source>On this system the installer sets this up.</source>
        <translation>Bu sistemde bunu kurulum programı ayarlar.</translation>
    </message>
    <message>
        <source>Place calls over the WebSocket connection (originate)</source>
        <translation>Aramaları WebSocket bağlantısı üzerinden başlat (originate)</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Wait for answer:</source>
        <translation>Yanıt bekleme:</translation>
    </message>
    <message>
        <source>Ring timeout:</source>
        <translation>Çalma süresi:</translation>
    </message>
    <message>
        <source>Sent with originate as given (Kobikom&apos;s example: 30000 and 15000).</source>
        <translation>Originate komutuyla olduğu gibi gönderilir (Kobikom örneği: 30000 ve 15000).</translation>
    </message>
    <message>
        <source>kobikom (default)</source>
        <translation>kobikom (varsayılan)</translation>
    </message>
    <message>
        <source>Trunk:</source>
        <translation>Hat (trunk):</translation>
    </message>
    <message>
        <source>The outgoing line for originate. Leave empty unless Kobikom gave you another name.</source>
        <translation>Originate için giden hat. Kobikom size başka bir ad vermediyse boş bırakın.</translation>
    </message>
    <message>
        <source>Show on the tray icon how many callers wait in my queues</source>
        <translation>Kuyruklarımda kaç arayanın beklediği bildirim simgesinde gösterilsin</translation>
    </message>
    <message>
        <source>The queues I answer</source>
        <translation>Yanıtladığım kuyruklar</translation>
    </message>
    <message>
        <source>My queues:</source>
        <translation>Kuyruklarım:</translation>
    </message>
    <message>
        <source>Queue numbers or names, separated by commas. Empty: the queues you are seen answering, else all of them.</source>
        <translation>Kuyruk numaraları veya adları, virgülle ayrılmış. Boş: yanıtladığınız görülen kuyruklar, yoksa hepsi.</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>New SMS API (sms.kobikom.com.tr)</source>
        <translation>Yeni SMS API (sms.kobikom.com.tr)</translation>
    </message>
    <message>
        <source>Old SMS API (smspaneli.kobikom.com.tr)</source>
        <translation>Eski SMS API (smspaneli.kobikom.com.tr)</translation>
    </message>
    <message>
        <source>SMS service:</source>
        <translation>SMS servisi:</translation>
    </message>
    <message>
        <source>Use the one your SMS panel belongs to.</source>
        <translation>SMS panelinizin ait olduğu servisi seçin.</translation>
    </message>
    <message>
        <source>SMS token:</source>
        <translation>SMS token&apos;ı:</translation>
    </message>
    <message>
        <source>In the SMS panel under Ayarlar &gt; SMS API. Kept in the system keyring.</source>
        <translation>SMS panelinde Ayarlar &gt; SMS API altında. Sistemin anahtar zincirinde saklanır.</translation>
    </message>
    <message>
        <source>SMS API key:</source>
        <translation>SMS API anahtarı:</translation>
    </message>
    <message>
        <source>SMS address:</source>
        <translation>SMS adresi:</translation>
    </message>
    <message>
        <source>Leave empty for Kobikom&apos;s (shown in grey).</source>
        <translation>Kobikom&apos;unki için boş bırakın (gri gösterilir).</translation>
    </message>
    <message>
        <source>e.g. FIRMAADI</source>
        <translation>ör. FIRMAADI</translation>
    </message>
    <message>
        <source>Default sender:</source>
        <translation>Varsayılan başlık:</translation>
    </message>
    <message>
        <source>The sender title (başlık) chosen first; the SMS window remembers the last one you used.</source>
        <translation>İlk seçili gelen gönderici başlığı; SMS penceresi son kullandığınızı hatırlar.</translation>
    </message>
    <message>
        <source>e.g. Ayşe Yıldız</source>
        <translation>ör. Ayşe Yıldız</translation>
    </message>
    <message>
        <source>Your name:</source>
        <translation>Adınız:</translation>
    </message>
    <message>
        <source>Fills in {agent} in SMS templates.</source>
        <translation>SMS şablonlarındaki {agent} alanını doldurur.</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Geçmiş</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>Recordings kept:</source>
        <translation>Saklanan kayıtlar:</translation>
    </message>
    <message>
        <source>Recordings you played are kept on this computer up to this size; the ones not played for longest are removed first.</source>
        <translation>Dinlediğiniz ses kayıtları bu bilgisayarda bu boyuta kadar saklanır; en uzun süredir dinlenmeyenler önce silinir.</translation>
    </message>
    <message>
        <source>Instead of the panel API. If the connection is down, the panel API is used.</source>
        <translation>Panel API&apos;si yerine. Bağlantı koptuğunda panel API&apos;si kullanılır.</translation>
    </message>
    <message>
        <source>Only for Tekil Santral accounts connected over WebSocket (Connection tab).</source>
        <translation>Yalnızca WebSocket ile bağlanan Tekil Santral hesapları için (Bağlantı sekmesi).</translation>
    </message>
    <message>
        <source>{value} (default)</source>
        <translation>{value} (varsayılan)</translation>
    </message>
    <message>
        <source>Enter a full address such as https://sms.kobikom.com.tr (empty: the default).</source>
        <translation>https://sms.kobikom.com.tr gibi tam bir adres girin (boş: varsayılan).</translation>
    </message>
    <message>
        <source>Use only digits, * and #, e.g. 0 or 9.</source>
        <translation>Yalnızca rakam, * ve # kullanın, ör. 0 ya da 9.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Kobikom Desktop</source>
        <extracomment>The extension number at the start of a picker label (&quot;1002 – Mehmet Kaya&quot;). For the pages: the tasks and the &quot;Start at login&quot; backend (None: this system&apos;s). The PBX&apos;s extensions from the last check (None: not fetched). Why secrets are kept for this session only (None: the keyring works).</extracomment>
        <translation>Kobikom Desktop kurulumu</translation>
    </message>
    <message>
        <source>Tekil Santral sign-in</source>
        <translation>Tekil Santral girişi</translation>
    </message>
    <message>
        <source>Your Kobikom panel sign-in and API key.</source>
        <translation>Kobikom panel girişiniz ve API anahtarınız.</translation>
    </message>
    <message>
        <source>Bulut Santral (KobiPBX) sign-in</source>
        <translation>Bulut Santral (KobiPBX) girişi</translation>
    </message>
    <message>
        <source>Your KobiPBX API sign-in and your company&apos;s domain UUID.</source>
        <translation>KobiPBX API girişiniz ve şirketinizin domain UUID&apos;si.</translation>
    </message>
    <message>
        <source>SMS API key (optional)</source>
        <translation>SMS API anahtarı (isteğe bağlı)</translation>
    </message>
    <message>
        <source>SMS API token (optional)</source>
        <translation>SMS API token&apos;ı (isteğe bağlı)</translation>
    </message>
    <message>
        <source>Set by your administrator&apos;s settings file.</source>
        <translation>Yöneticinizin ayar dosyasıyla belirlendi.</translation>
    </message>
    <message>
        <source>Set up by your administrator</source>
        <translation>Yöneticiniz tarafından ayarlandı</translation>
    </message>
    <message>
        <source>These settings are set by your administrator: {names}. Enter only your own sign-in details.</source>
        <translation>Bu ayarlar yöneticiniz tarafından belirlenmiştir: {names}. Yalnızca kendi giriş bilgilerinizi girin.</translation>
    </message>
    <message>
        <source>These settings come from {file}: {names}. Enter only your own sign-in details.</source>
        <translation>Şu ayarlar {file} dosyasından geliyor: {names}. Yalnızca kendi giriş bilgilerinizi girin.</translation>
    </message>
    <message>
        <source>your administrator&apos;s settings file</source>
        <translation>yöneticinizin ayar dosyası</translation>
    </message>
    <message>
        <source>account type</source>
        <translation>hesap türü</translation>
    </message>
    <message>
        <source>connection</source>
        <translation>bağlantı</translation>
    </message>
    <message>
        <source>domain UUID</source>
        <translation>domain UUID</translation>
    </message>
    <message>
        <source>server</source>
        <translation>sunucu</translation>
    </message>
    <message>
        <source>certificates</source>
        <translation>sertifikalar</translation>
    </message>
    <message>
        <source>REST address</source>
        <translation>REST adresi</translation>
    </message>
    <message>
        <source>SMS service</source>
        <translation>SMS servisi</translation>
    </message>
    <message>
        <source>SMS sender</source>
        <translation>SMS başlığı</translation>
    </message>
    <message>
        <source>CRM id</source>
        <translation>CRM kimliği</translation>
    </message>
    <message>
        <source>Import settings</source>
        <translation>Ayarları içe aktar</translation>
    </message>
    <message>
        <source>Settings files (*.toml)</source>
        <translation>Ayar dosyaları (*.toml)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tüm dosyalar (*)</translation>
    </message>
    <message>
        <source>This file cannot be imported</source>
        <translation>Bu dosya içe aktarılamıyor</translation>
    </message>
    <message>
        <source>Settings from {file} are filled in.</source>
        <translation>{file} dosyasındaki ayarlar dolduruldu.</translation>
    </message>
    <message>
        <source>Settings imported</source>
        <translation>Ayarlar içe aktarıldı</translation>
    </message>
    <message>
        <source>No system keyring</source>
        <translation>Sistem anahtar zinciri yok</translation>
    </message>
    <message>
        <source>Your password and keys can be kept only until you quit Kobikom Desktop; you will be asked again next time. ({problem})</source>
        <translation>Şifreniz ve anahtarlarınız yalnızca Kobikom Desktop&apos;tan çıkana kadar saklanabilir; bir sonraki açılışta yeniden sorulur. ({problem})</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Kontrol ediliyor…</translation>
    </message>
    <message>
        <source>Some checks failed</source>
        <translation>Bazı kontroller başarısız</translation>
    </message>
    <message>
        <source>Fix what is marked and test again. You can also save now and fix it later in Settings.</source>
        <translation>İşaretli olanı düzeltip tekrar test edin. Şimdi kaydedip daha sonra Ayarlar&apos;dan da düzeltebilirsiniz.</translation>
    </message>
    <message>
        <source>Everything works</source>
        <translation>Her şey çalışıyor</translation>
    </message>
    <message>
        <source>Click &quot;Save and connect&quot; to start.</source>
        <translation>Başlamak için &quot;Kaydet ve bağlan&quot;a tıklayın.</translation>
    </message>
    <message>
        <source>Check your extension</source>
        <translation>Dahilinizi kontrol edin</translation>
    </message>
    <message>
        <source>An extension is a number such as 1001.</source>
        <translation>Dahili, 1001 gibi bir numaradır.</translation>
    </message>
    <message>
        <source>The settings could not be saved</source>
        <translation>Ayarlar kaydedilemedi</translation>
    </message>
    <message>
        <source>{path}: {reason}</source>
        <translation>{path}: {reason}</translation>
    </message>
</context>
<context>
    <name>SmsComposer</name>
    <message>
        <source>Send SMS</source>
        <extracomment>A sent composer closes itself after this long (the outcome stays in the history). Asks before a multi-part message; tests replace it.</extracomment>
        <translation>SMS gönder</translation>
    </message>
    <message>
        <source>0532 123 45 67, 0542 …</source>
        <translation>0532 123 45 67, 0542 …</translation>
    </message>
    <message>
        <source>Separate several numbers with commas</source>
        <translation>Birden fazla numarayı virgülle ayırın</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Alıcı:</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Yükleniyor…</translation>
    </message>
    <message>
        <source>Reload sender titles and balance</source>
        <translation>Başlıkları ve bakiyeyi yeniden yükle</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Başlık:</translation>
    </message>
    <message>
        <source>Choose a template…</source>
        <translation>Şablon seçin…</translation>
    </message>
    <message>
        <source>Edit templates…</source>
        <translation>Şablonları düzenle…</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>Şablon:</translation>
    </message>
    <message>
        <source>Your message</source>
        <translation>Mesajınız</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Yeniden gönder</translation>
    </message>
    <message>
        <source>Don&apos;t send</source>
        <translation>Gönderme</translation>
    </message>
    <message>
        <source>SMS API token from the SMS panel</source>
        <translation>SMS panelindeki SMS API token&apos;ı</translation>
    </message>
    <message>
        <source>Save token</source>
        <translation>Token&apos;ı kaydet</translation>
    </message>
    <message>
        <source>SMS token:</source>
        <translation>SMS token&apos;ı:</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Gönder</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>Gönder (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>{0} (because of {1})</source>
        <translation>{0} ({1} nedeniyle)</translation>
    </message>
    <message>
        <source>Kobikom&apos;s documents say 75 or 65; we count the stricter 65.</source>
        <translation>Kobikom belgelerinde 75 ya da 65 yazıyor; güvenli tarafta kalmak için 65 sayılır.</translation>
    </message>
    <message>
        <source>Each part of a long message costs one SMS.</source>
        <translation>Uzun bir mesajın her parçası bir SMS sayılır.</translation>
    </message>
    <message>
        <source>Too long: at most 8 SMS.</source>
        <translation>Çok uzun: en fazla 8 SMS.</translation>
    </message>
    <message>
        <source>The balance ({0}) is not enough for this message ({1} SMS).</source>
        <translation>Bakiye ({0}) bu mesaj için yetmiyor ({1} SMS).</translation>
    </message>
    <message>
        <source>No sender titles</source>
        <translation>Başlık yok</translation>
    </message>
    <message>
        <source>Not available</source>
        <translation>Kullanılamıyor</translation>
    </message>
    <message>
        <source>Balance: unknown</source>
        <translation>Bakiye: bilinmiyor</translation>
    </message>
    <message>
        <source>Balance used up: {0}</source>
        <translation>Bakiye bitti: {0}</translation>
    </message>
    <message>
        <source>Balance too low: {0}</source>
        <translation>Bakiye çok düşük: {0}</translation>
    </message>
    <message>
        <source>This message needs {0} SMS.</source>
        <translation>Bu mesaj için {0} SMS gerekir.</translation>
    </message>
    <message>
        <source>Balance: {0}</source>
        <translation>Bakiye: {0}</translation>
    </message>
    <message>
        <source>Already sent to {0} from this window. Remove it from To: an SMS is not sent twice.</source>
        <translation>{0} numarasına bu pencereden zaten gönderildi. Alıcılardan çıkarın: bir SMS iki kez gönderilmez.</translation>
    </message>
    <message>
        <source>Enter the recipient&apos;s number.</source>
        <translation>Alıcının numarasını girin.</translation>
    </message>
    <message>
        <source>Cannot send yet</source>
        <translation>Henüz gönderilemiyor</translation>
    </message>
    <message>
        <source>Choose a sender title.</source>
        <translation>Bir gönderici başlığı seçin.</translation>
    </message>
    <message>
        <source>This message costs {0} SMS per recipient, {1} SMS in total. Send it?</source>
        <translation>Bu mesaj alıcı başına {0} SMS, toplamda {1} SMS tutuyor. Gönderilsin mi?</translation>
    </message>
    <message>
        <source>Your balance may not be enough.</source>
        <translation>Bakiyeniz yetmeyebilir.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Gönderiliyor…</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Gönderilmedi</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gönderildi</translation>
    </message>
    <message>
        <source>Kobikom accepted the message. Delivery is shown in the SMS history.</source>
        <translation>Kobikom mesajı kabul etti. İletim durumu SMS geçmişinde görünür.</translation>
    </message>
    <message>
        <source>The server did not confirm, and several messages at Kobikom could be this one.</source>
        <translation>Sunucu onaylamadı ve Kobikom&apos;daki birkaç mesaj bu olabilir.</translation>
    </message>
    <message>
        <source>The server did not confirm, and Kobikom&apos;s list could not be checked for it.</source>
        <translation>Sunucu onaylamadı ve Kobikom&apos;un listesi bu mesaj için denetlenemedi.</translation>
    </message>
    <message>
        <source>The server did not confirm, and Kobikom has no record of it.</source>
        <translation>Sunucu onaylamadı ve Kobikom&apos;da bu mesajın kaydı yok.</translation>
    </message>
    <message>
        <source>(To {0}.)</source>
        <translation>({0} numarasına.)</translation>
    </message>
    <message>
        <source>Send it again, or leave it unsent?</source>
        <translation>Yeniden gönderilsin mi, yoksa gönderilmeden kalsın mı?</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Kapat</translation>
    </message>
    <message>
        <source>Was this SMS sent?</source>
        <translation>Bu SMS gönderildi mi?</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Kontrol ediliyor…</translation>
    </message>
    <message>
        <source>The server did not confirm the send. Checking with Kobikom whether it went out; it will not be sent twice.</source>
        <translation>Sunucu gönderimi onaylamadı. Mesajın çıkıp çıkmadığı Kobikom&apos;dan kontrol ediliyor; iki kez gönderilmeyecek.</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Sırada</translation>
    </message>
    <message>
        <source>No connection to the SMS service. The message is saved and will be sent when the connection is back.</source>
        <translation>SMS servisine bağlantı yok. Mesaj kaydedildi; bağlantı gelince gönderilecek.</translation>
    </message>
    <message>
        <source>Not sent to {0}: {1}</source>
        <translation>{0} numarasına gönderilmedi: {1}</translation>
    </message>
    <message>
        <source>Sent to {0} of {1}</source>
        <translation>{1} alıcıdan {0} alıcıya gönderildi</translation>
    </message>
    <message>
        <source>The others got it and left To. Fix the problem and press Send: only the numbers in To are sent.</source>
        <translation>Diğerleri mesajı aldı ve alıcılardan çıkarıldı. Sorunu giderip Gönder&apos;e basın: yalnızca Alıcı alanındaki numaralara gönderilir.</translation>
    </message>
    <message>
        <source>Sent: {0}</source>
        <translation>Gönderildi: {0}</translation>
    </message>
    <message>
        <source>Not delivered: {0}</source>
        <translation>İletilemedi: {0}</translation>
    </message>
    <message>
        <source>Not sent (your decision): {0}</source>
        <translation>Gönderilmedi (sizin kararınız): {0}</translation>
    </message>
    <message>
        <source>The SMS token was rejected. Enter the token from the SMS panel (Ayarlar &gt; SMS API).</source>
        <translation>SMS token&apos;ı kabul edilmedi. SMS panelindeki token&apos;ı girin (Ayarlar &gt; SMS API).</translation>
    </message>
    <message>
        <source>Your message is kept and will be sent once the token is fixed.</source>
        <translation>Mesajınız saklanıyor; token düzeltilince gönderilecek.</translation>
    </message>
    <message>
        <source>SMS token rejected</source>
        <translation>SMS token&apos;ı kabul edilmedi</translation>
    </message>
    <message>
        <source>Your message is kept and will be sent once SMS is set up.</source>
        <translation>Mesajınız saklanıyor; SMS kurulunca gönderilecek.</translation>
    </message>
    <message>
        <source>SMS is not set up</source>
        <translation>SMS kurulmamış</translation>
    </message>
    <message>
        <source>Token saved</source>
        <translation>Token kaydedildi</translation>
    </message>
    <message>
        <source>Token not saved</source>
        <translation>Token kaydedilmedi</translation>
    </message>
</context>
<context>
    <name>SmsHistoryWindow</name>
    <message>
        <source>SMS history</source>
        <translation>SMS geçmişi</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Metni kopyala</translation>
    </message>
    <message>
        <source>Don&apos;t send</source>
        <translation>Gönderme</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Yeniden gönder</translation>
    </message>
    <message>
        <source>No SMS sent yet.</source>
        <translation>Henüz SMS gönderilmedi.</translation>
    </message>
    <message>
        <source>Was this SMS sent? The server did not confirm.</source>
        <translation>Bu SMS gönderildi mi? Sunucu onaylamadı.</translation>
    </message>
    <message>
        <source>Kobikom has no record of it. Send it again, or leave it unsent?</source>
        <translation>Kobikom&apos;da kaydı yok. Yeniden gönderilsin mi, yoksa gönderilmeden kalsın mı?</translation>
    </message>
    <message>
        <source>Several messages at Kobikom could be this one. Send it again, or leave it unsent?</source>
        <translation>Kobikom&apos;daki birkaç mesaj bu olabilir. Yeniden gönderilsin mi, yoksa gönderilmeden kalsın mı?</translation>
    </message>
    <message>
        <source>Kobikom&apos;s list could not be checked for it. Send it again, or leave it unsent?</source>
        <translation>Kobikom&apos;un listesi bu mesaj için denetlenemedi. Yeniden gönderilsin mi, yoksa gönderilmeden kalsın mı?</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Yeniden dene</translation>
    </message>
    <message>
        <source>Cancel sending</source>
        <translation>Gönderimi iptal et</translation>
    </message>
    <message>
        <source>No connection to the SMS service</source>
        <translation>SMS servisine bağlantı yok</translation>
    </message>
    <message>
        <source>Waiting messages are kept and sent when the connection is back.</source>
        <translation>Bekleyen mesajlar saklanıyor; bağlantı gelince gönderilecek.</translation>
    </message>
    <message>
        <source>SMS token rejected</source>
        <translation>SMS token&apos;ı kabul edilmedi</translation>
    </message>
    <message>
        <source>Waiting messages are kept. Fix the token (Send SMS… window or settings) and they will be sent.</source>
        <translation>Bekleyen mesajlar saklanıyor. Token&apos;ı düzeltin (SMS gönder… penceresi ya da ayarlar), sonra gönderilecekler.</translation>
    </message>
    <message>
        <source>SMS is not set up</source>
        <translation>SMS kurulmamış</translation>
    </message>
</context>
<context>
    <name>SmsService</name>
    <message>
        <source>SMS not confirmed</source>
        <extracomment>Messages the history window loads. How long closing waits for what the agent asked for (an SMS being written to the outbox, &quot;Send again&quot;/&quot;Don&apos;t send&quot;, a new token) before stopping it. States in which the composer&apos;s own job is over. Builds a lane&apos;s sender: (outbox, config, on_change, on_problem) -&gt; SmsSender. This service&apos;s own tasks (they also live in the app&apos;s *tasks*), so that close() can end them before it closes the outboxes and HTTP clients.</extracomment>
        <translation>SMS onaylanmadı</translation>
    </message>
    <message>
        <source>Was the SMS to {0} sent? The server did not confirm. Open the SMS history to decide.</source>
        <translation>{0} numarasına SMS gönderildi mi? Sunucu onaylamadı. Karar vermek için SMS geçmişini açın.</translation>
    </message>
    <message>
        <source>SMS failed</source>
        <translation>SMS gönderilemedi</translation>
    </message>
    <message>
        <source>The SMS to {0} was not sent: {1}</source>
        <translation>{0} numarasına SMS gönderilmedi: {1}</translation>
    </message>
    <message>
        <source>The app is closing: the message was not saved. Send it after the restart.</source>
        <translation>Uygulama kapanıyor: mesaj kaydedilmedi. Yeniden açıldıktan sonra gönderin.</translation>
    </message>
    <message>
        <source>Enter the SMS token.</source>
        <translation>SMS token&apos;ını girin.</translation>
    </message>
</context>
<context>
    <name>SmsTableModel</name>
    <message>
        <source>Time</source>
        <translation>Zaman</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Alıcı</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mesaj</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Başlık</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Durum</translation>
    </message>
</context>
<context>
    <name>SmsText</name>
    <message>
        <source>Waiting to send</source>
        <translation>Gönderim bekliyor</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Gönderiliyor…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gönderildi</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>İletildi</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Başarısız</translation>
    </message>
    <message>
        <source>Not confirmed: checking…</source>
        <translation>Onaylanmadı: kontrol ediliyor…</translation>
    </message>
    <message>
        <source>Needs your decision</source>
        <translation>Kararınız gerekiyor</translation>
    </message>
    <message>
        <source>Not sent (cancelled)</source>
        <translation>Gönderilmedi (iptal)</translation>
    </message>
    <message>
        <source>Plain text: {0} characters per SMS</source>
        <translation>Düz metin: SMS başına {0} karakter</translation>
    </message>
    <message>
        <source>With Turkish characters: {0} characters per SMS</source>
        <translation>Türkçe karakterli: SMS başına {0} karakter</translation>
    </message>
    <message>
        <source>Unicode (emoji, special characters): {0} characters per SMS</source>
        <translation>Unicode (emoji, özel karakter): SMS başına {0} karakter</translation>
    </message>
    <message>
        <source>{0} / {1} characters · 1 SMS</source>
        <translation>{0} / {1} karakter · 1 SMS</translation>
    </message>
    <message>
        <source>{0} characters · {1} SMS ({2} characters per part)</source>
        <translation>{0} karakter · {1} SMS (parça başına {2} karakter)</translation>
    </message>
    <message>
        <source>× {0} recipients = {1} SMS</source>
        <translation>× {0} alıcı = {1} SMS</translation>
    </message>
</context>
<context>
    <name>StartAtLogin</name>
    <message>
        <source>Start Kobikom Desktop when I log in</source>
        <translation>Oturum açtığımda Kobikom Desktop&apos;ı başlat</translation>
    </message>
</context>
<context>
    <name>StatusActions</name>
    <message>
        <source>Settings…</source>
        <extracomment>Below the status lines: &quot;Dial…&quot;, &quot;Dial number from clipboard&quot;, &quot;Send SMS…&quot;, &quot;Recent calls…&quot;. With &quot;Settings…&quot; and &quot;Contacts…&quot;. With &quot;Demo mode&quot; and &quot;About&quot;.</extracomment>
        <translation>Ayarlar…</translation>
    </message>
    <message>
        <source>Contacts…</source>
        <translation>Kişiler…</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>Demo modu</translation>
    </message>
    <message>
        <source>Simulated calls, no connection to Kobikom</source>
        <translation>Sanal aramalar; Kobikom&apos;a bağlanılmaz</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Hakkında</translation>
    </message>
    <message>
        <source>Quit</source>
        <extracomment>Longest wait for the sample recording to decode. Longest wait for the TLS request. The keyring service of the round-trip check (never the app&apos;s own).</extracomment>
        <translation>Çıkış</translation>
    </message>
</context>
<context>
    <name>StatusText</name>
    <message>
        <source>Connected</source>
        <extracomment>Longest reason shown (Windows cuts tray tooltips at 127 characters). From this many seconds on, the retry countdown is given in minutes.</extracomment>
        <translation>Bağlı</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Bağlanıyor…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Bağlantı yok</translation>
    </message>
    <message>
        <source>Login rejected</source>
        <translation>Kimlik doğrulama başarısız</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Bağlantı kesildi</translation>
    </message>
    <message>
        <source>Extension {extension} · {state}</source>
        <translation>Dahili {extension} · {state}</translation>
    </message>
    <message>
        <source>retrying now…</source>
        <translation>şimdi yeniden deneniyor…</translation>
    </message>
    <message>
        <source>retrying in %n min</source>
        <translation>%n dk sonra yeniden denenecek</translation>
    </message>
    <message>
        <source>retrying in %n s</source>
        <translation>%n sn sonra yeniden denenecek</translation>
    </message>
    <message>
        <source>1 missed call</source>
        <translation>1 cevapsız arama</translation>
    </message>
    <message>
        <source>%n missed calls</source>
        <translation>%n cevapsız arama</translation>
    </message>
    <message>
        <source>1 message from the PBX could not be used (see the log)</source>
        <translation>Santralden gelen 1 mesaj kullanılamadı (günlüğe bakın)</translation>
    </message>
    <message>
        <source>%n messages from the PBX could not be used (see the log)</source>
        <translation>Santralden gelen %n mesaj kullanılamadı (günlüğe bakın)</translation>
    </message>
    <message>
        <source>(demo mode)</source>
        <translation>(demo modu)</translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>{0} – no system tray</source>
        <extracomment>Size of the state icon at the top of the window (logical px).</extracomment>
        <translation>{0} – sistem tepsisi yok</translation>
    </message>
    <message>
        <source>This desktop has no system tray</source>
        <translation>Bu masaüstünde sistem tepsisi yok</translation>
    </message>
    <message>
        <source>Kobikom Desktop normally lives in the system tray (notification area), but this desktop does not offer one, so this window shows the status and the menu instead. Caller popups work as usual.</source>
        <translation>Kobikom Desktop normalde sistem tepsisinde (bildirim alanı) çalışır; bu masaüstünde tepsi olmadığı için durum ve menü bu pencerede gösteriliyor. Arama açılır pencereleri her zamanki gibi çalışır.</translation>
    </message>
    <message>
        <source>On GNOME, install and enable the &quot;AppIndicator and KStatusNotifierItem Support&quot; extension (Debian/Ubuntu package gnome-shell-extension-appindicator), then log out and back in.</source>
        <translation>GNOME&apos;da &quot;AppIndicator and KStatusNotifierItem Support&quot; eklentisini kurup etkinleştirin (Debian/Ubuntu paketi: gnome-shell-extension-appindicator), ardından oturumu kapatıp yeniden açın.</translation>
    </message>
    <message>
        <source>Closing this window minimizes it; use Quit to exit.</source>
        <translation>Bu pencereyi kapatmak onu simge durumuna küçültür; çıkmak için Çıkış&apos;ı kullanın.</translation>
    </message>
    <message>
        <source>Show last call</source>
        <translation>Son aramayı göster</translation>
    </message>
    <message>
        <source>(demo mode)</source>
        <translation>(demo modu)</translation>
    </message>
</context>
<context>
    <name>SupportBundle</name>
    <message>
        <source>Save support bundle…</source>
        <translation>Destek paketini kaydet…</translation>
    </message>
    <message>
        <source>One zip file for Kobikom support: logs, settings and the last recording of the PBX connection, without passwords.</source>
        <translation>Kobikom desteği için tek zip dosyası: günlükler, ayarlar ve santral bağlantısının son kaydı; parolalar olmadan.</translation>
    </message>
    <message>
        <source>Save support bundle</source>
        <translation>Destek paketini kaydet</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip dosyaları (*.zip)</translation>
    </message>
    <message>
        <source>Support bundle not saved</source>
        <translation>Destek paketi kaydedilemedi</translation>
    </message>
    <message>
        <source>{file} could not be written: {reason}</source>
        <translation>{file} yazılamadı: {reason}</translation>
    </message>
    <message>
        <source>Support bundle saved</source>
        <translation>Destek paketi kaydedildi</translation>
    </message>
    <message>
        <source>Send {file} to Kobikom support.</source>
        <translation>{file} dosyasını Kobikom desteğine gönderin.</translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <source>SMS templates</source>
        <translation>SMS şablonları</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ekle</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Kaldır</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ad</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Metin</translation>
    </message>
    <message>
        <source>Filled in: {name} {number} {company} {agent}. Any other {word} must be filled in before sending.</source>
        <translation>Otomatik doldurulur: {name} {number} {company} {agent}. Diğer {word} alanlarını göndermeden önce siz doldurmalısınız.</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>Yeni şablon</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer call – Kobikom</source>
        <translation>Aramayı aktar – Kobikom</translation>
    </message>
    <message>
        <source>this call</source>
        <translation>bu kişi</translation>
    </message>
    <message>
        <source>Transfer the call with {who} to extension:</source>
        <translation>{who} ile olan görüşmeyi şu dahiliye aktar:</translation>
    </message>
    <message>
        <source>e.g. 1002</source>
        <translation>ör. 1002</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Aktar</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>1 more call without a popup</source>
        <extracomment>The application&apos;s name as the tray shows it (not translated: a product name). How often the ringing handset wiggles, and for how long at most. How often the &quot;retrying in N s&quot; countdown is refreshed. How long a tray notification stays (a hint; the desktop may ignore it). Longest the tray waits for a popup&apos;s first paint before it repaints anyway. Menu lines for what does not work besides the line (LDAP, HTTP lookup, hotkey; more are joined on the last line).</extracomment>
        <translation>Açılır penceresi olmayan 1 arama daha</translation>
    </message>
    <message>
        <source>%Ln more calls without a popup</source>
        <translation>Açılır penceresi olmayan %Ln arama daha</translation>
    </message>
    <message>
        <source>1 caller waiting in your queues</source>
        <extracomment>What does not work besides the line (a remote directory, the hotkey).</extracomment>
        <translation>Kuyruklarınızda 1 arayan bekliyor</translation>
    </message>
    <message>
        <source>%n callers waiting in your queues</source>
        <translation>Kuyruklarınızda %n arayan bekliyor</translation>
    </message>
</context>
<context>
    <name>TypePage</name>
    <message>
        <source>Welcome to Kobikom Desktop</source>
        <extracomment>Page ids of the wizard.</extracomment>
        <translation>Kobikom Desktop&apos;a hoş geldiniz</translation>
    </message>
    <message>
        <source>Which Kobikom phone system does your company use?</source>
        <translation>Şirketiniz hangi Kobikom santralini kullanıyor?</translation>
    </message>
    <message>
        <source>Tekil Santral</source>
        <translation>Tekil Santral</translation>
    </message>
    <message>
        <source>Your own PBX, managed in the Kobikom panel. You sign in with your panel e-mail and password.</source>
        <translation>Kobikom panelinden yönetilen kendi santraliniz. Panel e-postanız ve şifrenizle giriş yaparsınız.</translation>
    </message>
    <message>
        <source>Bulut Santral (KobiPBX)</source>
        <translation>Bulut Santral (KobiPBX)</translation>
    </message>
    <message>
        <source>The KobiPBX cloud PBX. Your sign-in details and domain UUID come from Kobikom&apos;s technical team.</source>
        <translation>KobiPBX bulut santrali. Giriş bilgilerinizi ve domain UUID&apos;nizi Kobikom teknik ekibi verir.</translation>
    </message>
    <message>
        <source>Just show me</source>
        <translation>Önce bir bakayım</translation>
    </message>
    <message>
        <source>Try the app with a built-in demo PBX that rings now and then. Nothing is sent anywhere; you can set up your account later.</source>
        <translation>Uygulamayı ara sıra çalan dahili bir demo santralle deneyin. Hiçbir yere bir şey gönderilmez; hesabınızı sonra kurabilirsiniz.</translation>
    </message>
    <message>
        <source>Not sure which one? Ask your IT administrator, or write to yazilim@kobikom.com.tr.</source>
        <translation>Emin değil misiniz? BT yöneticinize sorun ya da yazilim@kobikom.com.tr adresine yazın.</translation>
    </message>
    <message>
        <source>Import settings…</source>
        <translation>Ayarları içe aktar…</translation>
    </message>
    <message>
        <source>Use a settings file prepared by your IT administrator (it holds no passwords).</source>
        <translation>BT yöneticinizin hazırladığı ayar dosyasını kullanın (içinde şifre bulunmaz).</translation>
    </message>
    <message>
        <source>Start the demo</source>
        <translation>Demoyu başlat</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Unknown caller</source>
        <translation>Bilinmeyen arayan</translation>
    </message>
</context>
<context>
    <name>_NumberRow</name>
    <message>
        <source>0532 123 45 67</source>
        <extracomment>Inline error text (the popup&apos;s &quot;missed&quot; red).</extracomment>
        <translation>0532 123 45 67</translation>
    </message>
    <message>
        <source>Remove this number</source>
        <translation>Bu numarayı kaldır</translation>
    </message>
    <message>
        <source>extension {number}</source>
        <translation>dahili {number}</translation>
    </message>
    <message>
        <source>not a phone number</source>
        <translation>telefon numarası değil</translation>
    </message>
</context>
</TS>
