import {Box, Text, useInput} from 'ink';
import TextInput from 'ink-text-input';
import {useRef, useState} from 'react';
import {insertion, readTyped, useTypedAhead} from './hooks/use-typed-ahead.js';
import {tint, useTheme} from './theme.js';

type Props = {
	label: string;
	initial: string;
	/** Keys typed before the prompt was drawn: appended to `initial`; an Enter among them submits. */
	takeTypedAhead?: () => string;
	width: number;
	/** Called on every change, so the pane filters or highlights live as the user types. */
	onChange: (value: string) => string | undefined;
	onSubmit: (value: string) => void;
	onCancel: () => void;
	/** Keys typed after the Enter or Esc that closed the prompt, before it was gone: keys for the panes. */
	onLateKeys: (keys: string) => void;
};

/**
 * The bottom line while typing a filter or a search. Its keys go only here (the panes' handler is inactive
 * meanwhile); Enter keeps what was typed, Esc cancels, Ctrl-U clears. An invalid regex is shown next to the input.
 */
export function PromptBar({label, initial, takeTypedAhead, width, onChange, onSubmit, onCancel, onLateKeys}: Props) {
	const theme = useTheme();
	const [value, setValue] = useState(initial);
	const [error, setError] = useState<string | undefined>(undefined);
	// The prompt stays mounted until React draws the next frame, and keys keep coming to it meanwhile
	// (`⏎` and `p` in two reads of a busy ssh link): once closed, what it is given belongs to the panes.
	const closed = useRef(false);
	const text = useRef(initial);
	const close = (then: () => void) => {
		if (!closed.current) {
			closed.current = true;
			then();
		}
	};

	// An Enter inside a run of typed text (keys typed ahead of the prompt, or batched by a slow ssh link)
	// submits what came before it, rather than becoming part of the pattern.
	const accept = (typed: string) => {
		if (closed.current) {
			onLateKeys(insertion(value, typed)?.text ?? '');
			return;
		}

		const line = readTyped(value, text.current, typed);
		text.current = line.text;
		setValue(line.text);
		setError(onChange(line.text));
		if (line.enter) {
			close(() => {
				onSubmit(line.text);
			});
			if (line.rest) {
				onLateKeys(line.rest);
			}
		}
	};

	const inputKey = useTypedAhead(takeTypedAhead, (typed) => {
		accept(initial + typed);
	});
	useInput((input, key) => {
		if (key.escape) {
			close(onCancel);
		} else if (key.ctrl && input === 'u' && !closed.current) {
			// Ctrl-U clears the line, as in a shell. TextInput saw the key first (its handler was subscribed
			// first) and typed a `u`; this clears that too.
			text.current = '';
			setValue('');
			setError(onChange(''));
		}
	});
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate-end">
				<Text bold>{label} </Text>
				<TextInput
					key={inputKey}
					value={value}
					onChange={accept}
					onSubmit={() => {
						close(() => {
							onSubmit(text.current);
						});
					}}
				/>
				{error ? <Text color={tint(theme, 'red')} bold={!theme.color}>{`  ${error}`}</Text> : <Text dimColor>{'  Enter keep · Esc clear'}</Text>}
			</Text>
		</Box>
	);
}
