<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About {app}</source>
        <extracomment>Size of the icon in the dialog (logical px).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller popups and call tools for Kobikom PBX agents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PySide6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proprietary software. Uses Qt and PySide6 under the GNU LGPL version 3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>Settings file</source>
        <extracomment>The demo extension and how soon the first demo call rings.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set up yet: open Settings… or try Demo mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom Desktop is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings window is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The contacts window is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: {0}

Details are in the log file:
{1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallerPopup</name>
    <message>
        <source>Dismiss</source>
        <extracomment>Seconds an ended (not missed) call&apos;s popup stays before closing itself. Width of the card in logical pixels (the window adds the shadow around it). Gap between the screen&apos;s available area and the cards (logical px). Gap between two stacked cards (logical px). Soft shadow around the card when the window can be translucent. The call timer ticks on whole seconds of talk time. Frame interval and period of the ringing pulse. Lines of notes shown before eliding (the full text is in the tooltip). How many closed call ids are remembered so late updates do not reopen them. Accent colours by state. Colour of the action buttons (the brand blue, independent of the state). libphonenumber types that can receive an SMS.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>withheld</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Called once before</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last today at {time}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last today at {time}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last yesterday at {time}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last yesterday at {time}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last on {date}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last on {date}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Queue: {queue}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The caller withheld the number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller ID name: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom – {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered by a colleague</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoticeBox</name>
    <message>
        <source>Close</source>
        <extracomment>(background, border) per kind: the popup&apos;s accent colours, lightened. Extra widgets (buttons, lists) go here, under the text.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Kobikom Desktop – Settings</source>
        <extracomment>Auto-close delay of the popup, seconds. Colours of the inline messages (the popup&apos;s palette). Secrets that come from an environment variable (they take precedence). (secret, account, new value); an empty value deletes the secret. The TLS choice for WebSocket, kept while TCP is selected.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tekil Santral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulut Santral (KobiPBX)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 1001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your extension(s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The internal number of your desk phone or softphone. Several: separate them with commas (1001, 1002).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain UUID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provided by Kobikom&apos;s technical team. It is the only key to your company&apos;s live call events: keep it private.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name@company.com.tr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login e-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom panel → Ayarlar → API (&quot;API Anahtarı&quot;). Used to log in to the live call events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in to the Tekil WebSocket with the panel token instead of the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token comes from logging in with the e-mail and password above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live events over:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave empty for Kobikom&apos;s server (shown in grey).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypted connection (TLS, wss://)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (the system&apos;s certificates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional, only for a private or test certificate authority (PEM file). Certificates are always verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REST address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The panel API used for calls, history and the phonebook. Leave empty for Kobikom&apos;s (shown in grey).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Popup &amp;&amp; language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a popup when a call rings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bottom right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bottom left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen corner:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the screen where the mouse is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the popup of an ended call stays. Missed calls stay until you close them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language takes effect when Kobikom Desktop is restarted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tekil Santral: your own PBX, managed in the Kobikom panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The e-mail you log in to the Kobikom panel with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your panel password. Used for calls from the app, call history and the PBX phonebook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulut Santral: the KobiPBX cloud PBX (api.kobipbx.com).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your KobiPBX login e-mail; the credentials come from Kobikom&apos;s technical team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your KobiPBX password. Used for calls from the app and call history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Tekil TCP service must first be enabled by Kobikom: ask yazilim@kobikom.com.tr. WebSocket works without that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP is the usual choice for desktop apps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use WebSocket if your network blocks other ports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TCP services are not encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without TLS, Tekil&apos;s WebSocket listens on port 8088 (with TLS: 8098).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KobiPBX&apos;s WebSocket is always encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not an extension number: use digits only, separated by commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your extension to get call popups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulut Santral accounts need the domain UUID to receive calls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This does not look like a UUID (8-4-4-4-12 hexadecimal digits). Check it with Kobikom if calls do not arrive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This does not look like an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {name} environment variable is set and is used instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter only a host name or IP address (no “wss://”, no port, no spaces).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535 (empty: the default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no such file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a full address such as https://panelapi.kobikom.com.tr (empty: the default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the keyring…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the saved password and API key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keyring could not be read ({error})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set by the {name} environment variable, which takes precedence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passwords and keys are kept for this session only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keyring is available, so they will be asked for again after a restart. Details: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please correct the fields marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings could not be saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings were saved, but the keyring refused a secret</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusActions</name>
    <message>
        <source>Settings…</source>
        <extracomment>The application&apos;s name as the tray shows it (not translated: a product name). How often the ringing handset wiggles, and for how long at most. How often the &quot;retrying in N s&quot; countdown is refreshed. How long a tray notification stays (a hint; the desktop may ignore it). Below the status lines: &quot;Dial…&quot;, &quot;Dial number from clipboard&quot;, &quot;Send SMS…&quot;, &quot;Recent calls…&quot;. With &quot;Settings…&quot; and &quot;Contacts…&quot;. With &quot;Demo mode&quot; and &quot;About&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulated calls, no connection to Kobikom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusText</name>
    <message>
        <source>Connected</source>
        <extracomment>Longest reason shown (Windows cuts tray tooltips at 127 characters). From this many seconds on, the retry countdown is given in minutes.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension {extension} · {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retrying now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retrying in %n min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retrying in %n s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 missed call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%n missed calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(demo mode)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>This desktop has no system tray</source>
        <extracomment>Size of the state icon at the top of the window (logical px).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom Desktop normally lives in the system tray (notification area), but this desktop does not offer one, so this window shows the status and the menu instead. Caller popups work as usual.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On GNOME, install and enable the &quot;AppIndicator and KStatusNotifierItem Support&quot; extension (Debian/Ubuntu package gnome-shell-extension-appindicator), then log out and back in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing this window minimizes it; use Quit to exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show last call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(demo mode)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
