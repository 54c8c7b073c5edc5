--[[
refmap.lua: a pandoc Lua filter that checks an essay against its claims map while it renders.

    refmap export anchors -o refmap-anchors.json
    pandoc essay.md --lua-filter "$(refmap filter-path)" -o essay.html

It reads the JSON that `refmap export anchors` writes (the file named by the metadata field
`refmap-anchors`, e.g. `-M refmap-anchors=anchors.json`; default `refmap-anchors.json`) and
writes one line on stderr for each claim of the map that

  - still needs a source:
      refmap: warning: claim 'ID' is unsourced [unsourced]
  - whose quote is no longer in the document's text:
      refmap: warning: claim 'ID': quote not found in the document: "QUOTE" [quote-not-found]

The document's text is that of its paragraphs, headings and list items, without citations,
footnotes, code and the bibliography, compared after the same light normalisation refmap
uses (curly and straight quotes, dashes, spaces). The document is never changed.
]]

local DEFAULT_ANCHORS = "refmap-anchors.json"
local VERSION = 1

local function warn(message)
  io.stderr:write("refmap: warning: " .. message .. "\n")
end

-- A value as it may be echoed on one line: breaks and control characters escaped.
local function inert(value)
  return (tostring(value):gsub("[%c\\]", function(c)
    local named = { ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t", ["\\"] = "\\\\" }
    return named[c] or string.format("\\x%02x", c:byte())
  end))
end

-- Typographic normalisation, as refmap.essay.text.normalise: one character for another first,
-- then dashes with spaces (or doubled) as one hyphen and runs of spaces as one.
local SAME = {}
for _, c in ipairs({ 0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x02bc, 0x00b4, 0x60 }) do
  SAME[utf8.char(c)] = "'"
end
for _, c in ipairs({ 0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x00ab, 0x00bb }) do
  SAME[utf8.char(c)] = '"'
end
for _, c in ipairs({ 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63,
                     0xff0d }) do
  SAME[utf8.char(c)] = "-"
end
for _, c in ipairs({ 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x00a0, 0x1680, 0x2000, 0x2001, 0x2002,
                     0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
                     0x2029, 0x202f, 0x205f, 0x3000 }) do
  SAME[utf8.char(c)] = " "
end
for _, c in ipairs({ 0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff }) do
  SAME[utf8.char(c)] = ""
end
SAME[utf8.char(0x2026)] = "..."

local function normalise(text)
  text = text:gsub(utf8.charpattern, SAME)
  text = text:gsub(" +%-[ %-]*", "-")
  text = text:gsub("%-[ %-]+", "-")
  text = text:gsub("  +", " ")
  return text
end

-- JSON: pandoc.json where pandoc has it (3.1.1 and later), else this small reader of the
-- subset json.dumps writes (objects, arrays, strings, numbers, true, false, null).
local function decode_json(text)
  local pos = 1
  local value
  local function fail(what)
    error(string.format("not JSON at byte %d: %s", pos, what), 0)
  end
  local function space()
    pos = text:find("[^ \t\r\n]", pos) or #text + 1
  end
  local function string_value()
    local out = {}
    pos = pos + 1
    while true do
      local stop = text:find('["\\]', pos)
      if not stop then fail("unterminated string") end
      out[#out + 1] = text:sub(pos, stop - 1)
      pos = stop + 1
      if text:sub(stop, stop) == '"' then return table.concat(out) end
      local esc = text:sub(pos, pos)
      local simple = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f",
                       n = "\n", r = "\r", t = "\t" }
      if simple[esc] then
        out[#out + 1] = simple[esc]
        pos = pos + 1
      elseif esc == "u" then
        local code = tonumber(text:sub(pos + 1, pos + 4), 16) or fail("bad \\u escape")
        pos = pos + 5
        if code >= 0xd800 and code < 0xdc00 and text:sub(pos, pos + 1) == "\\u" then
          local low = tonumber(text:sub(pos + 2, pos + 5), 16) or fail("bad \\u escape")
          code = 0x10000 + (code - 0xd800) * 0x400 + (low - 0xdc00)
          pos = pos + 6
        end
        out[#out + 1] = utf8.char(code)
      else
        fail("bad escape")
      end
    end
  end
  function value()
    space()
    local c = text:sub(pos, pos)
    if c == "{" then
      local object = {}
      pos = pos + 1
      space()
      if text:sub(pos, pos) == "}" then pos = pos + 1 return object end
      while true do
        space()
        if text:sub(pos, pos) ~= '"' then fail("expected a key") end
        local key = string_value()
        space()
        if text:sub(pos, pos) ~= ":" then fail("expected ':'") end
        pos = pos + 1
        object[key] = value()
        space()
        local sep = text:sub(pos, pos)
        pos = pos + 1
        if sep == "}" then return object end
        if sep ~= "," then fail("expected ',' or '}'") end
      end
    elseif c == "[" then
      local array = {}
      pos = pos + 1
      space()
      if text:sub(pos, pos) == "]" then pos = pos + 1 return array end
      while true do
        array[#array + 1] = value()
        space()
        local sep = text:sub(pos, pos)
        pos = pos + 1
        if sep == "]" then return array end
        if sep ~= "," then fail("expected ',' or ']'") end
      end
    elseif c == '"' then
      return string_value()
    end
    for _, word in ipairs({ "true", "false", "null" }) do
      if text:sub(pos, pos + #word - 1) == word then
        pos = pos + #word
        if word == "null" then return nil end
        return word == "true"
      end
    end
    local number = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not number or number == "" then fail("unexpected character") end
    pos = pos + #number
    return tonumber(number)
  end
  local result = value()
  space()
  if pos <= #text then fail("trailing data") end
  return result
end

local function read_anchors(path)
  local file, err = io.open(path, "rb")
  if not file then
    warn("cannot read the anchors file (" .. inert(err) .. "); write it with "
         .. "'refmap export anchors -o " .. inert(path) .. "'")
    return nil
  end
  local text = file:read("a")
  file:close()
  local ok, data
  if pandoc.json and pandoc.json.decode then
    ok, data = pcall(pandoc.json.decode, text, false)
  else
    ok, data = pcall(decode_json, text)
  end
  if not ok or type(data) ~= "table" or data["refmap-anchors"] ~= VERSION
      or type(data.claims) ~= "table" then
    warn(inert(path) .. " is not an anchors file refmap.lua reads (version " .. VERSION
         .. "); write it again with 'refmap export anchors'")
    return nil
  end
  return data
end

-- The document's text: paragraphs, headings and list items, one per line, without what
-- refmap does not read as essay text.
local function document_text(doc)
  local stripped = pandoc.walk_block(pandoc.Div(doc.blocks), {
    Cite = function() return {} end,
    Note = function() return {} end,
    CodeBlock = function() return {} end,
    RawBlock = function() return {} end,
    RawInline = function() return {} end,
    Div = function(div)
      if div.identifier == "refs" then return {} end
    end,
  })
  local parts = {}
  local function collect(block)
    parts[#parts + 1] = pandoc.utils.stringify(block)
  end
  pandoc.walk_block(stripped, { Para = collect, Plain = collect, Header = collect })
  return normalise(table.concat(parts, "\n"))
end

local function check(doc)
  local path = DEFAULT_ANCHORS
  if doc.meta["refmap-anchors"] ~= nil then
    path = pandoc.utils.stringify(doc.meta["refmap-anchors"])
  end
  local anchors = read_anchors(path)
  if not anchors then return nil end
  local text = document_text(doc)
  for _, claim in ipairs(anchors.claims) do
    local id = inert(claim.id or "?")
    if claim.needs_source == true then
      warn("claim '" .. id .. "' is unsourced [unsourced]")
    end
    local quote = type(claim.match) == "string" and claim.match or claim.quote
    if type(quote) == "string" then
      quote = normalise(quote):gsub("^ +", ""):gsub(" +$", "")
      if quote ~= "" and not text:find(quote, 1, true) then
        warn("claim '" .. id .. "': quote not found in the document: \"" .. inert(claim.quote)
             .. "\" [quote-not-found]")
      end
    end
  end
  return nil
end

return { { Pandoc = check } }
